// Planning in PostgreSQL: taking an accepted event from the outbox with its deliveries, idempotent by event id, and what its first attempts need.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { Destination } from '../db/schema';
import type { DeliveryStatus } from '../domain/delivery';
import { patternsMatchingType } from '../domain/event-match';
import { deliveryWorkflowId, deterministicId, eventWorkflowId } from '../domain/ids';
import type { EventWorkflowInput } from '../contracts/delivery';
import { insertEventRow } from './events';
import { assembleAttemptContext, ATTEMPT_DESTINATION_COLUMNS, type AttemptContext } from './attempt-context';
import { keepsOrder, laneOf } from '../domain/ordered-lanes';

export type PlanCandidate = Pick<Destination, 'id' | 'trigger' | 'filter' | 'enabled' | 'auto_disabled_at' | 'max_attempts' | 'timeout_seconds'>;

/** The accepted event, as its workflow carries it; a test send (`test`) targets one destination, whatever its subscriptions. */
type EventToStore = EventWorkflowInput;

/** The pure decisions planning asks of the domain. */
export interface PlanRules {
  /** Whether a subscribed (or tested) destination takes this event: filters, self-announcements. */
  takes(destination: PlanCandidate): boolean;
  /** Whether the delivery's first state depends on claiming the event's subject for the destination (first_match). */
  claims(destination: PlanCandidate): boolean;
  /** The delivery's first state; `claimed` says whether the claim (when one is needed) went to this event. */
  initialStatus(destination: PlanCandidate, claimed: boolean): DeliveryStatus;
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

export interface StoredPlan {
  rows: PlannedRow[];
  /** The first attempts' contexts, by delivery id, when planning could read them on the way; else null. */
  contexts: Map<string, AttemptContext> | null;
}

async function candidateDestinations(db: Db, event: EventToStore) {
  const live = db
    .selectFrom('destinations as d')
    .select(['d.id', 'd.trigger', 'd.filter', 'd.max_attempts', ...ATTEMPT_DESTINATION_COLUMNS])
    .where('d.workspace_id', '=', event.workspaceId)
    .where('d.deleted_at', 'is', null);
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

/** An event without a subject is no subject's first: there is nothing to claim, and nothing stands in its way. */
function claimSubject(db: Db, event: EventToStore, destinationId: string): Promise<boolean> {
  return event.subject === null ? Promise.resolve(true) : insertClaim(db, event, destinationId, event.subject);
}

/** `first_match` destinations take one event per subject; the claim is a row, so it holds across workers. */
async function insertClaim(db: Db, event: EventToStore, destinationId: string, subject: string): Promise<boolean> {
  const claimed = await db
    .insertInto('first_matches')
    .values({ workspace_id: event.workspaceId, destination_id: destinationId, subject, event_id: event.eventId })
    .onConflict((oc) => oc.columns(['destination_id', 'subject']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** What was planned before: the rows say it (a re-run after a crash, or a duplicate ingestion). */
function plannedBefore(db: Db, event: EventToStore): Promise<PlannedRow[]> {
  return db
    .selectFrom('deliveries as dl')
    .innerJoin('destinations as d', 'd.id', 'dl.destination_id')
    .select(['dl.id', 'dl.destination_id', 'dl.status', 'd.max_attempts', 'd.timeout_seconds', 'dl.attempt_count', 'dl.next_attempt_at'])
    .where('dl.event_id', '=', event.eventId)
    .where('dl.workspace_id', '=', event.workspaceId)
    .orderBy('dl.id')
    .execute();
}

type Candidate = Awaited<ReturnType<typeof candidateDestinations>>[number];

async function eventStored(db: Db, event: EventToStore): Promise<boolean> {
  const row = await db.selectFrom('events').select('id').where('id', '=', event.eventId).where('workspace_id', '=', event.workspaceId).executeTakeFirst();
  return row !== undefined;
}

function deliveryRow(event: EventToStore, destination: Candidate, status: DeliveryStatus, now: Date) {
  const id = deterministicId('dlv', event.eventId, destination.id);
  return {
    id,
    workspace_id: event.workspaceId,
    destination_id: destination.id,
    status,
    // Who holds it now: the event workflow attempts it inline; a held one waits in a workflow of its own.
    workflow_id: status === 'held' ? deliveryWorkflowId(id) : eventWorkflowId(event.eventId),
    is_test: event.test !== undefined,
    // Its event's subject and place are read in the statement that inserts it (the event's seq is the database's).
    ordered: keepsOrder(destination.ordering, event.test !== undefined),
    updated_at: now,
  };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const plannedRow = (row: ReturnType<typeof deliveryRow>, destination: Candidate): PlannedRow => ({
  id: row.id,
  destination_id: row.destination_id,
  status: row.status,
  max_attempts: destination.max_attempts,
  timeout_seconds: destination.timeout_seconds,
  attempt_count: 0,
  next_attempt_at: null,
});

type StoredEvent = { id: string; type: string; data: unknown; subject: string | null; seq: number | null; occurred_at: Date; received_at: Date };

/**
 * Where planning finds the event: the row ingestion committed with its outbox row (taking that row marks the event
 * planned), or, for an event started by a release before the outbox (a rolling deploy; docs/versioning.md), the
 * workflow's input, stored here once. Either way nothing is taken when the event was planned before.
 */
function plannedEventSource(event: EventToStore, from: 'outbox' | 'input') {
  if (from === 'outbox') {
    return sql`
      taken AS (DELETE FROM event_outbox WHERE event_id = ${event.eventId} RETURNING event_id),
      ev AS (SELECT e.id, e.type, e.data, e.subject, e.seq, e.occurred_at, e.received_at FROM events e JOIN taken ON taken.event_id = e.id)`;
  }
  return sql`ev AS (${insertEventRow(event)} RETURNING id, type, data, subject, seq, occurred_at, received_at)`;
}

/**
 * One statement, so no transaction to open and commit: the event taken for planning and its deliveries, inserted only
 * when it was taken. It returns the event, which with the destinations read before it is every first attempt's context.
 */
async function planEventDeliveries(db: Db, event: EventToStore, deliveries: ReturnType<typeof deliveryRow>[], from: 'outbox' | 'input') {
  const result = await sql<StoredEvent>`
    WITH ${plannedEventSource(event, from)},
    -- Runs whether or not the query below reads it (PostgreSQL runs every data-modifying WITH once).
    dl AS (
      INSERT INTO deliveries (id, workspace_id, event_id, destination_id, event_type, status, workflow_id, is_test, updated_at, lane_subject, lane_seq)
      SELECT v.id, v.workspace_id, ev.id, v.destination_id, ev.type, v.status, v.workflow_id, v.is_test, v.updated_at,
             -- domain/ordered-lanes.ts laneOf: a lane needs both a subject and a place.
             CASE WHEN v.ordered AND ev.seq IS NOT NULL THEN ev.subject END, CASE WHEN v.ordered AND ev.subject IS NOT NULL THEN ev.seq END
        FROM ev CROSS JOIN jsonb_to_recordset(${JSON.stringify(deliveries)}::jsonb)
             AS v(id text, workspace_id text, destination_id text, status text, workflow_id text, is_test boolean, ordered boolean, updated_at timestamptz)
    )
    SELECT ev.* FROM ev`.execute(db);
  return result.rows[0];
}

/**
 * Idempotent by event id: one delivery row per destination that takes the event, inserted as the event leaves the
 * outbox. On a re-run (a crash after commit, a second start) nothing is inserted again and the rows say what was planned.
 */
export async function storeEventWithDeliveries(db: Db, event: EventToStore, rules: PlanRules, now: Date): Promise<StoredPlan> {
  let candidates: Candidate[];
  try {
    candidates = (await candidateDestinations(db, event)).filter((candidate) => rules.takes(candidate));
  } catch (error) {
    // Rules that refuse today's destinations (a filter edited since an earlier run stored this event): a stored
    // event answers with its rows, as it did when the event was inserted before the rules ran.
    if (await eventStored(db, event)) return { rows: await plannedBefore(db, event), contexts: null };
    throw error;
  }
  // A first_match claim and the rows it decides commit together, or not at all.
  if (candidates.some((candidate) => rules.claims(candidate))) return { rows: await planInTransaction(db, event, candidates, rules, now), contexts: null };
  const statuses = candidates.map((destination) => rules.initialStatus(destination, true));
  const deliveries = candidates.map((destination, index) => deliveryRow(event, destination, statuses[index]!, now));
  const stored =
    (await planEventDeliveries(db, event, deliveries, 'outbox')) ??
    ((await eventStored(db, event)) ? undefined : await planEventDeliveries(db, event, deliveries, 'input'));
  if (!stored) return { rows: await plannedBefore(db, event), contexts: null };

  const contexts = new Map<string, AttemptContext>();
  candidates.forEach((destination, index) => {
    const { id: delivery_id, workspace_id, destination_id, status, is_test } = deliveries[index]!;
    const lane = laneOf(destination.ordering, stored, is_test);
    const delivery = {
      ...{ delivery_id, workspace_id, destination_id, status, is_test },
      ...{ lane_subject: lane?.subject ?? null, lane_seq: lane?.seq ?? null, queue_reason: null, next_attempt_at: null },
    };
    contexts.set(delivery_id, assembleAttemptContext(destination, delivery, stored));
  });
  return { rows: deliveries.map((row, index) => plannedRow(row, candidates[index]!)).sort(byId), contexts };
}

/** With first_match destinations (already read and filtered): the claims and the rows commit together, or not at all. */
async function planInTransaction(db: Db, event: EventToStore, candidates: Candidate[], rules: PlanRules, now: Date): Promise<PlannedRow[]> {
  return db.transaction().execute(async (trx) => {
    const taken = await trx.deleteFrom('event_outbox').where('event_id', '=', event.eventId).returning(['event_id', 'event_seq as seq']).executeTakeFirst();
    // As in planEventDeliveries: an event started by a release before the outbox is stored here, once.
    const stored = taken ?? (await sql<{ seq: number | null }>`${insertEventRow(event)} RETURNING seq`.execute(trx)).rows[0];
    if (!stored) return plannedBefore(trx, event);
    const planned: PlannedRow[] = [];
    const rows = [];
    for (const destination of candidates) {
      const row = deliveryRow(
        event,
        destination,
        rules.initialStatus(destination, !rules.claims(destination) || (await claimSubject(trx, event, destination.id))),
        now,
      );
      const { ordered: _ordered, ...columns } = row;
      const lane = laneOf(destination.ordering, { subject: event.subject, seq: stored.seq }, row.is_test);
      rows.push({ ...columns, event_id: event.eventId, event_type: event.type, lane_subject: lane?.subject ?? null, lane_seq: lane?.seq ?? null });
      planned.push(plannedRow(row, destination));
    }
    // The event row is new, so no delivery of it can exist (they reference it): what was inserted is the plan.
    if (rows.length > 0) await trx.insertInto('deliveries').values(rows).execute();
    return planned.sort(byId);
  });
}
