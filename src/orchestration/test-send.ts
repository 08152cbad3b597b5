// A test send, for the person (or the health workflow's probe) waiting on its answer: accepted like any event, started at once, awaited.
import type { Client } from '@temporalio/client';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import { UnavailableError } from '../domain/errors';
import { acceptedEvent, type IncomingEvent } from '../domain/incoming-event';
import type { DeliveryWorkflowResult } from '../contracts/delivery';
import { acceptEvent, withdrawEvent } from '../store/event-outbox';
import { awaitTestOutcome, startEventWorkflow } from './start-event';

export interface TestSendDeps {
  db: Db;
  temporal: Client;
  config: Config;
  eagerStarts?: Client;
}

// Past the caller's own start (its deadline and a margin), a relay takes over the start of a test the caller lost.
const RELAY_TAKEOVER_MARGIN_MS = 5_000;

/**
 * Stored first, so planning finds the event as it finds any other; started here rather than by a relay, since a
 * person is waiting. While Temporal is away the test is taken back and the caller answers 503: a test the person
 * was told failed must not arrive later. Null when nothing was planned (the destination was deleted meanwhile).
 */
export async function sendTestEvent(
  deps: TestSendDeps,
  incoming: IncomingEvent & { test: { destinationId: string } },
  now: Date,
  waitMs: number,
): Promise<{ eventId: string; outcome: DeliveryWorkflowResult | null }> {
  const input = acceptedEvent(incoming, now);
  await acceptEvent(deps.db, {
    event: input,
    taskQueue: deps.config.temporal.taskQueue,
    fingerprint: null,
    relayAfterMs: deps.config.temporal.startTimeoutMs + RELAY_TAKEOVER_MARGIN_MS,
  });
  let workflowId: string;
  try {
    ({ workflowId } = await startEventWorkflow(deps.temporal, deps.config, input, deps.eagerStarts));
  } catch (error) {
    if (error instanceof UnavailableError) await withdrawEvent(deps.db, input.workspaceId, input.eventId).catch(() => false);
    throw error;
  }
  return { eventId: input.eventId, outcome: await awaitTestOutcome(deps.temporal, workflowId, waitMs) };
}
