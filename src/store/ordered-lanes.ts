// Ordered lanes in PostgreSQL: whether anything of a delivery's subject is ahead of it (queuing it if so), and who is next once it is done.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
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
      UPDATE deliveries SET status = 'queued', queue_reason = 'ordering', next_attempt_at = NULL, updated_at = now()
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
