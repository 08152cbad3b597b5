// Stores an accepted event and decides its deliveries in one transaction, idempotent by event id.
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import { isPaused } from '../domain/destination';
import { filterEnvelope } from '../domain/envelope';
import { announcesItsOwnPause } from '../domain/event-catalog';
import { matchesFilter } from '../domain/event-match';
import { storeEventWithDeliveries, type PlanRules } from '../store/events';
import type { EventPlan, EventWorkflowInput, PlannedDelivery } from '../workflows/contracts';

/** The rules of planning, from the domain; the store applies them inside its transaction. */
function planRules(input: EventWorkflowInput): PlanRules {
  const test = input.test !== undefined;
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
    initialStatus: async (destination, claimFirstMatch) => {
      if (!test && destination.trigger === 'first_match' && !(await claimFirstMatch())) return 'skipped';
      // Paused destinations keep their deliveries: they are held, not dropped.
      if (!test && isPaused(destination)) return 'held';
      return 'pending';
    },
  };
}

export function createPlanActivity(deps: { db: Db; config: Config; now: () => Date }) {
  return async function planEventDeliveries(input: EventWorkflowInput): Promise<EventPlan> {
    const rows = await storeEventWithDeliveries(deps.db, input, planRules(input), deps.now());
    // The destination's own settings: the delivery workflow's start applies a test send's caps.
    const deliveries: PlannedDelivery[] = rows.map((row) => ({
      deliveryId: row.id,
      destinationId: row.destination_id,
      status: row.status,
      maxAttempts: row.max_attempts,
      timeoutSeconds: row.timeout_seconds,
    }));
    return { deliveries };
  };
}
