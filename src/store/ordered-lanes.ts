// Ordered lanes in PostgreSQL: whether anything of a delivery's subject is ahead of it (queuing it if so), and who is next once it is done.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { deliveryWorkflowId } from '../domain/workflow-ids';
import { LANE_HOLDING_STATUSES, type DestinationOrdering, type Lane, type LaneBlocker } from '../domain/ordered-lanes';

export interface LaneCheck {
  workspaceId: string;
  destinationId: string;
  deliveryId: string;
  lane: Lane;
}

const holding = sql.join(LANE_HOLDING_STATUSES.map((status) => sql.lit(status)));

/**
 * One statement, so the look ahead and the queuing share a snapshot: an earlier delivery of the lane still holding it,
 * or an earlier event of the subject not yet planned (the outbox: planning takes it and inserts its deliveries in one
 * statement, so an event is always in one place or the other). A blocked delivery is marked queued, for ordering.
 */
export async function queueBehindLane(db: Db, check: LaneCheck): Promise<LaneBlocker | null> {
  const { lane } = check;
  const result = await sql<{ blocker: LaneBlocker | null }>`
    WITH ahead AS (
      SELECT CASE
        WHEN EXISTS (
          SELECT 1 FROM deliveries p
           WHERE p.destination_id = ${check.destinationId} AND p.lane_subject = ${lane.subject} AND p.lane_seq < ${lane.seq}
             AND p.status IN (${holding}))
        THEN 'delivery'
        WHEN EXISTS (
          SELECT 1 FROM event_outbox o
           WHERE o.workspace_id = ${check.workspaceId} AND o.subject = ${lane.subject} AND o.event_seq < ${lane.seq})
        THEN 'event'
      END AS blocker
    ),
    queued AS (
      -- A queued delivery is always in a workflow of its own (the event workflow hands it over): the row names it.
      UPDATE deliveries SET status = 'queued', queue_reason = 'ordering', next_attempt_at = NULL, updated_at = now(),
             workflow_id = ${deliveryWorkflowId(check.deliveryId)}
        FROM ahead
       WHERE ahead.blocker IS NOT NULL AND deliveries.id = ${check.deliveryId} AND deliveries.workspace_id = ${check.workspaceId}
         AND deliveries.status IN (${holding})
      RETURNING deliveries.id
    )
    SELECT blocker FROM ahead`.execute(db);
  return result.rows[0]?.blocker ?? null;
}

/**
 * The first delivery after this one in its lane that still holds it, whatever its state: told its turn has come, one
 * that is queued looks again; one not queued yet (checking, or in its event's workflow) loses nothing by the signal.
 */
export async function nextInLane(db: Db, at: { destinationId: string; lane: Lane }): Promise<string | undefined> {
  const row = await db
    .selectFrom('deliveries')
    .select('id')
    .where('destination_id', '=', at.destinationId)
    .where('lane_subject', '=', at.lane.subject)
    .where('lane_seq', '>', at.lane.seq)
    .where('status', 'in', LANE_HOLDING_STATUSES)
    .orderBy('lane_seq')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/**
 * A delivery row's lane, as planning set it (only on ordered destinations' deliveries of events with a subject), while
 * its destination still keeps order: one switched to `none` lets its waiting deliveries go at their next look.
 */
export function laneOfDelivery(row: { lane_subject: string | null; lane_seq: number | null; ordering: DestinationOrdering }): Lane | null {
  if (row.ordering !== 'subject' || row.lane_subject === null || row.lane_seq === null) return null;
  return { subject: row.lane_subject, seq: row.lane_seq };
}

/** The head of a coalescing lane waits for its window to close: queued, its row saying until when. */
export async function waitForWindow(db: Db, head: { workspaceId: string; deliveryId: string; closesAt: Date }): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({
      status: 'queued',
      queue_reason: 'coalescing',
      next_attempt_at: head.closesAt,
      updated_at: sql`now()`,
      workflow_id: deliveryWorkflowId(head.deliveryId),
    })
    .where('id', '=', head.deliveryId)
    .where('workspace_id', '=', head.workspaceId)
    .where('status', 'in', LANE_HOLDING_STATUSES)
    .execute();
}

/** Unsent deliveries: a newer event may take their place. One that was tried holds its lane until it is done. */
const unsent = sql.join(['pending', 'queued', 'held'].map((status) => sql.lit(status)));

export interface Superseding {
  /** The newest unsent delivery of the lane, which goes now; null when the head is the newest (it goes itself). */
  newest: string | null;
  /** The unsent deliveries older than the newest, the head among them, now superseded. */
  superseded: string[];
}

/**
 * One statement, at the close of the head's window: the newest unsent delivery of the lane is handed the turn (queued
 * for coalescing, due now, so its own window does not open again) and every older unsent one becomes superseded.
 */
export async function supersedeByNewest(db: Db, head: LaneCheck): Promise<Superseding> {
  const { lane } = head;
  const result = await sql<{ newest: string | null; superseded: string[] }>`
    WITH newest AS (
      SELECT id, lane_seq, event_id FROM deliveries
       WHERE destination_id = ${head.destinationId} AND lane_subject = ${lane.subject} AND lane_seq > ${lane.seq} AND status IN (${unsent})
       ORDER BY lane_seq DESC LIMIT 1
    ),
    superseded AS (
      UPDATE deliveries dl
         SET status = 'superseded', queue_reason = NULL, next_attempt_at = NULL, completed_at = now(), updated_at = now(),
             last_error = 'superseded by event ' || newest.event_id || ', the newest of subject ' || ${lane.subject}
        FROM newest
       WHERE dl.destination_id = ${head.destinationId} AND dl.lane_subject = ${lane.subject}
         AND dl.lane_seq >= ${lane.seq} AND dl.lane_seq < newest.lane_seq AND dl.status IN (${unsent})
      RETURNING dl.id
    ),
    handed AS (
      UPDATE deliveries dl SET status = 'queued', queue_reason = 'coalescing', next_attempt_at = now(), updated_at = now()
        FROM newest WHERE dl.id = newest.id
      RETURNING dl.id
    )
    SELECT (SELECT id FROM handed) AS newest, ARRAY(SELECT id FROM superseded) AS superseded`.execute(db);
  const row = result.rows[0];
  return { newest: row?.newest ?? null, superseded: row?.superseded ?? [] };
}
