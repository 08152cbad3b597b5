// Starts an accepted event's workflow (ingestion, test sends, emitted events), durable in Temporal before any 202, and awaits a test send's outcome.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../config/config';
import { deterministicId, eventWorkflowId, newId } from '../domain/ids';
import { DeadlineExceededError, UnavailableError } from '../domain/errors';
import { isTemporalUnavailable } from './availability';
import type { DeliveryWorkflowResult, EventWorkflowInput } from '../workflows/contracts';
import { deliverEventWorkflow } from '../workflows/event.workflow';
import { eventTypeAttribute, workspaceIdAttribute } from '../workflows/search-attributes';

export interface IncomingEvent {
  workspaceId: string;
  type: string;
  data: unknown;
  subject: string | null;
  occurredAt: Date | null;
  idempotencyKey: string | null;
  test?: { destinationId: string };
}

export interface StartedEvent {
  eventId: string;
  workflowId: string;
  /** True when an earlier request with the same Idempotency-Key already started it. */
  replayed: boolean;
}

/** Same key, same workspace → same event id → same workflow id, so concurrent duplicates collapse into one. */
function eventIdFor(event: IncomingEvent): string {
  return event.idempotencyKey === null ? newId('evt') : deterministicId('evt', event.workspaceId, event.idempotencyKey);
}

export async function startEvent(temporal: Client, config: Config, event: IncomingEvent, now: Date): Promise<StartedEvent> {
  const eventId = eventIdFor(event);
  const workflowId = eventWorkflowId(eventId);
  const input: EventWorkflowInput = {
    eventId,
    workspaceId: event.workspaceId,
    type: event.type,
    data: event.data,
    subject: event.subject,
    occurredAt: (event.occurredAt ?? now).toISOString(),
    receivedAt: now.toISOString(),
    idempotencyKey: event.idempotencyKey,
    ...(event.test ? { test: event.test } : {}),
  };
  try {
    // Bounded: while the frontend is down the caller gets a 503 to retry (same Idempotency-Key, same event), not a hang.
    await temporal.withDeadline(Date.now() + config.temporal.startTimeoutMs, () => temporal.workflow.start(deliverEventWorkflow, {
      workflowId,
      taskQueue: config.temporal.taskQueue,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: workspaceIdAttribute, value: event.workspaceId },
        { key: eventTypeAttribute, value: event.type },
      ],
    }));
    return { eventId, workflowId, replayed: false };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { eventId, workflowId, replayed: true };
    if (isTemporalUnavailable(error)) {
      throw new UnavailableError('temporal_unavailable', 'Temporal did not accept the event in time; nothing was accepted, retry with the same Idempotency-Key');
    }
    throw error;
  }
}

/**
 * Waits for a test send's one delivery; a worker that is down or stuck becomes a DeadlineExceeded, not a
 * caller waiting forever. Null when nothing was planned (the destination was deleted meanwhile).
 */
export async function awaitTestOutcome(temporal: Client, workflowId: string, timeoutMs: number): Promise<DeliveryWorkflowResult | null> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const result = await temporal.withAbortSignal(deadline, () => temporal.workflow.getHandle<typeof deliverEventWorkflow>(workflowId).result());
    return result.test ?? null;
  } catch (error) {
    if (!deadline.aborted) throw error;
    throw new DeadlineExceededError(
      'test_timed_out',
      `The test delivery did not finish within ${Math.round(timeoutMs / 1000)} s; it stays in the history (workflow ${workflowId})`,
    );
  }
}
