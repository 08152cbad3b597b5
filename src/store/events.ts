// Events in PostgreSQL: storing an accepted event together with its planned deliveries, and reading one back.
import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database, Destination, EventRow } from '../db/schema';
import type { DeliveryStatus } from '../domain/delivery';
import { NotFoundError } from '../domain/errors';
import { patternsMatchingType } from '../domain/event-match';
import { deliveryWorkflowId, deterministicId, eventWorkflowId } from '../domain/ids';
import type { EventWorkflowInput } from '../workflows/contracts';

export type PlanCandidate = Pick<Destination, 'id' | 'trigger' | 'filter' | 'enabled' | 'auto_disabled_at' | 'max_attempts' | 'timeout_seconds'>;

/** The accepted event, as its workflow carries it; a test send (`test`) targets one destination, whatever its subscriptions. */
type EventToStore = EventWorkflowInput;

/** The pure decisions planning asks of the domain, inside the store's transaction. */
export interface PlanRules {
  /** Whether a subscribed (or tested) destination takes this event: filters, self-announcements. */
  takes(destination: PlanCandidate): boolean;
  /** The delivery's first state; `claimFirstMatch` tells whether this event is the subject's first for the destination. */
  initialStatus(destination: PlanCandidate, claimFirstMatch: () => Promise<boolean>): Promise<DeliveryStatus>;
}

export interface PlannedRow {
  id: string;
  destination_id: string;
  status: DeliveryStatus;
  max_attempts: number;
  timeout_seconds: number;
  /** What an earlier run of the event's workflow already attempted (a re-run after a lost workflow task). */
  attempt_count: number;
  next_attempt_at: Date | null;
}

async function candidateDestinations(trx: Transaction<Database>, event: EventToStore): Promise<PlanCandidate[]> {
  const columns = ['d.id', 'd.trigger', 'd.filter', 'd.enabled', 'd.auto_disabled_at', 'd.max_attempts', 'd.timeout_seconds'] as const;
  const live = trx.selectFrom('destinations as d').select(columns).where('d.workspace_id', '=', event.workspaceId).where('d.deleted_at', 'is', null);
  if (event.test !== undefined) return live.where('d.id', '=', event.test.destinationId).execute();
  return live
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('subscriptions as s')
          .select(sql`1`.as('one'))
          .whereRef('s.destination_id', '=', 'd.id')
          .where('s.event_type', 'in', patternsMatchingType(event.type)),
      ),
    )
    .orderBy('d.id')
    .execute();
}

/** `first_match` destinations take one event per subject; the claim is a row, so it holds across workers. */
async function claimFirstMatch(trx: Transaction<Database>, event: EventToStore, destinationId: string): Promise<boolean> {
  if (event.subject === null) return true;
  const claimed = await trx
    .insertInto('first_matches')
    .values({ workspace_id: event.workspaceId, destination_id: destinationId, subject: event.subject, event_id: event.eventId })
    .onConflict((oc) => oc.columns(['destination_id', 'subject']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return claimed !== undefined;
}

/**
 * One transaction, idempotent by event id: the event row and one delivery row per destination that takes it.
 * On a re-run (crash after commit, duplicate ingestion) nothing is inserted again and the rows say what was planned.
 */
export async function storeEventWithDeliveries(db: Db, event: EventToStore, rules: PlanRules, now: Date): Promise<PlannedRow[]> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('events')
      .values({
        id: event.eventId,
        workspace_id: event.workspaceId,
        type: event.type,
        data: JSON.stringify(event.data ?? null),
        subject: event.subject,
        occurred_at: event.occurredAt,
        received_at: event.receivedAt,
        idempotency_key: event.idempotencyKey,
        is_test: event.test !== undefined,
        workflow_id: eventWorkflowId(event.eventId),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();

    if (!inserted) {
      return trx
        .selectFrom('deliveries as dl')
        .innerJoin('destinations as d', 'd.id', 'dl.destination_id')
        .select(['dl.id', 'dl.destination_id', 'dl.status', 'd.max_attempts', 'd.timeout_seconds', 'dl.attempt_count', 'dl.next_attempt_at'])
        .where('dl.event_id', '=', event.eventId)
        .where('dl.workspace_id', '=', event.workspaceId)
        .orderBy('dl.id')
        .execute();
    }
    const rows = [];
    const planned: PlannedRow[] = [];
    for (const destination of (await candidateDestinations(trx, event)).filter((candidate) => rules.takes(candidate))) {
      const id = deterministicId('dlv', event.eventId, destination.id);
      const status = await rules.initialStatus(destination, () => claimFirstMatch(trx, event, destination.id));
      rows.push({
        id,
        workspace_id: event.workspaceId,
        event_id: event.eventId,
        destination_id: destination.id,
        event_type: event.type,
        status,
        // Who holds it now: the event workflow attempts it inline; a held one waits in a workflow of its own.
        workflow_id: status === 'held' ? deliveryWorkflowId(id) : eventWorkflowId(event.eventId),
        is_test: event.test !== undefined,
        updated_at: now,
      });
      planned.push({ id, destination_id: destination.id, status, max_attempts: destination.max_attempts, timeout_seconds: destination.timeout_seconds, attempt_count: 0, next_attempt_at: null });
    }
    // The event row is new, so no delivery of it can exist (they reference it): what was inserted is the plan.
    if (rows.length > 0) await trx.insertInto('deliveries').values(rows).execute();
    return planned.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  });
}

/**
 * What remains of an event planning refused for good: its id, type and times, no data, and why; idempotent by id,
 * so a repeated rejection (or one after a partial store) changes nothing.
 */
export async function storeRejectedEvent(db: Db, event: EventToStore, reason: string): Promise<void> {
  await db
    .insertInto('events')
    .values({
      id: event.eventId,
      workspace_id: event.workspaceId,
      type: event.type,
      data: JSON.stringify(null),
      subject: null,
      occurred_at: event.receivedAt,
      received_at: event.receivedAt,
      idempotency_key: event.idempotencyKey,
      is_test: event.test !== undefined,
      workflow_id: eventWorkflowId(event.eventId),
      rejected_reason: reason,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function findEvent(db: Db, workspaceId: string, id: string): Promise<EventRow> {
  const event = await db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  // Also the answer for an event accepted but not stored yet: its workflow's first task has not run.
  if (!event) throw new NotFoundError('Event');
  return event;
}
