// Stores an accepted event and decides its deliveries in one transaction, idempotent by event id.
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import { deliveryMode } from '../domain/delivery-mode';
import { isPaused } from '../domain/destination';
import { filterEnvelope } from '../domain/envelope';
import { announcesItsOwnPause } from '../domain/event-catalog';
import { matchesFilter } from '../domain/event-match';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { isDatabaseUnavailable } from '../store/availability';
import { storeEventWithDeliveries, type PlanRules } from '../store/event-plan';
import { storeRejectedEvent } from '../store/events';
import { FailureType, type EventPlan, type EventWorkflowInput, type PlannedDelivery } from '../contracts/delivery';
import type { FirstAttempts } from './first-attempts';

/** The rules of planning, from the domain; the store applies them inside its transaction. */
function planRules(input: EventWorkflowInput): PlanRules {
  const test = input.test !== undefined;
  const mode = deliveryMode(test);
  const envelope = filterEnvelope({
    eventId: input.eventId,
    type: input.type,
    occurredAt: input.occurredAt,
    workspaceId: input.workspaceId,
    data: input.data,
    subject: input.subject,
  });
  return {
    // A test send goes to the destination asked for, whatever its filter.
    takes: (destination) =>
      test || (matchesFilter(destination.filter as Record<string, unknown> | null, envelope) && !announcesItsOwnPause(input.type, input.data, destination.id)),
    // An event without a subject claims nothing, so it takes the single statement (store/event-plan.ts grants it).
    claims: (destination) => !test && destination.trigger === 'first_match' && input.subject !== null,
    initialStatus: (destination, claimed) => {
      if (!test && destination.trigger === 'first_match' && !claimed) return 'skipped';
      // Paused destinations keep their deliveries: they are held, not dropped.
      if (mode.heldWhenPaused && isPaused(destination)) return 'held';
      return 'pending';
    },
  };
}

// An error that is neither an outage nor known to be permanent gets this many tries before the event is rejected.
const UNKNOWN_FAILURE_TRIES = 10;

/**
 * An outage is retried for as long as it lasts (nothing accepted may be lost); data PostgreSQL refuses (SQLSTATE
 * class 22, 54) fails the same way every time, so it ends the event as rejected at once; anything else, after a few tries.
 */
function asPlanFailure(error: unknown): unknown {
  if (isDatabaseUnavailable(error)) return error;
  const code = (error as { code?: unknown }).code;
  const permanent = typeof code === 'string' && /^(22|54)/.test(code);
  if (permanent || Context.current().info.attempt >= UNKNOWN_FAILURE_TRIES) {
    return ApplicationFailure.nonRetryable(`the event cannot be stored or planned: ${(error as Error).message}`, FailureType.EventUnplannable);
  }
  return error;
}

export function createPlanActivity(deps: { db: Db; config: Config; now: () => Date; firstAttempts: FirstAttempts }) {
  return async function planEventDeliveries(event: EventWorkflowInput): Promise<EventPlan> {
    let stored;
    try {
      stored = await storeEventWithDeliveries(deps.db, event, planRules(event), deps.now());
    } catch (error) {
      throw asPlanFailure(error);
    }
    // The attempts this event's mode allows: the first attempts and any delivery workflow go by it.
    const mode = deliveryMode(event.test !== undefined);
    const deliveries: PlannedDelivery[] = stored.rows.map((row) => ({
      deliveryId: row.id,
      destinationId: row.destination_id,
      status: row.status,
      maxAttempts: mode.attemptCap(row.max_attempts),
      timeoutSeconds: row.timeout_seconds,
    }));
    return { deliveries: await deps.firstAttempts(event, stored, deliveries) };
  };
}

/** Stores what is left of an event planning refused, so GET /v1/events/:id says so and why. */
export function createRejectActivity(deps: { db: Db }) {
  return async function rejectEvent(input: { event: EventWorkflowInput; reason: string }): Promise<void> {
    await storeRejectedEvent(deps.db, input.event, input.reason);
  };
}
