// Erasure of one subject's data in PostgreSQL (its events' data, subjects and bodies, its unsent deliveries), and the erasure jobs' own rows.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { Erasure } from '../db/schema';
import { NotFoundError } from '../domain/errors';
import { attemptWithoutBodies, openStatuses } from './retention';

export interface ErasedRows {
  events: number;
  deliveriesCancelled: number;
}

/**
 * One transaction: the subject's unsent deliveries become `erased` (so no attempt sends or records them), its events
 * lose data and subject, their attempts lose bodies, headers and URL paths, and what else names the subject goes
 * (first-match marks, ordered-lane places, outbox rows). The records stay: ids, statuses, timings, status codes.
 */
export async function eraseSubjectRows(db: Db, workspaceId: string, subject: string, now: Date): Promise<ErasedRows> {
  return db.transaction().execute(async (tx) => {
    const events = await sql<{ id: string }>`
      SELECT id FROM events WHERE workspace_id = ${workspaceId} AND subject = ${subject} FOR UPDATE`.execute(tx);
    const ids = events.rows.map((row) => row.id);
    await sql`DELETE FROM first_matches WHERE workspace_id = ${workspaceId} AND subject = ${subject}`.execute(tx);
    if (ids.length === 0) return { events: 0, deliveriesCancelled: 0 };
    const eventIds = sql.join(ids);
    const cancelled = await sql`
      UPDATE deliveries SET status = 'erased', queue_reason = NULL, next_attempt_at = NULL, completed_at = ${now}, updated_at = ${now},
             last_error = 'erased at its subject''s request'
       WHERE event_id IN (${eventIds}) AND status IN (${openStatuses})`.execute(tx);
    await sql`UPDATE deliveries SET lane_subject = NULL WHERE event_id IN (${eventIds}) AND lane_subject IS NOT NULL`.execute(tx);
    await sql`
      UPDATE attempts a SET ${attemptWithoutBodies}
        FROM deliveries d WHERE d.event_id IN (${eventIds}) AND a.delivery_id = d.id`.execute(tx);
    await sql`DELETE FROM event_outbox WHERE event_id IN (${eventIds})`.execute(tx);
    await sql`
      UPDATE events SET data = 'null'::jsonb, subject = NULL, idempotency_key = NULL, request_fingerprint = NULL, erased_at = ${now}
       WHERE id IN (${eventIds})`.execute(tx);
    return { events: ids.length, deliveriesCancelled: Number(cancelled.numAffectedRows ?? 0) };
  });
}

export async function insertErasure(
  db: Db,
  erasure: { id: string; workspaceId: string; subjectHash: string; requestedBy: string; requestId: string | null; counts: ErasedRows },
): Promise<Erasure> {
  return db
    .insertInto('erasures')
    .values({
      id: erasure.id,
      workspace_id: erasure.workspaceId,
      subject_hash: erasure.subjectHash,
      status: 'running',
      requested_by: erasure.requestedBy,
      request_id: erasure.requestId,
      events_erased: erasure.counts.events,
      deliveries_cancelled: erasure.counts.deliveriesCancelled,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findErasure(db: Db, workspaceId: string, id: string): Promise<Erasure> {
  const row = await db.selectFrom('erasures').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('Erasure');
  return row;
}

export async function listErasures(db: Db, workspaceId: string, query: { after?: string; limit: number }): Promise<Erasure[]> {
  let select = db.selectFrom('erasures').selectAll().where('workspace_id', '=', workspaceId);
  if (query.after !== undefined) select = select.where('id', '<', query.after);
  return select.orderBy('id', 'desc').limit(query.limit).execute();
}

/** The Temporal part is done: how many workflow histories went. A finished job is not finished again. */
export async function completeErasure(db: Db, workspaceId: string, id: string, workflowsDeleted: number, now: Date): Promise<void> {
  await db
    .updateTable('erasures')
    .set({ status: 'completed', workflows_deleted: workflowsDeleted, completed_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

/** What Hookline holds for a subject (an access request): its events, oldest first, with their deliveries. */
export async function subjectEvents(db: Db, workspaceId: string, subject: string, query: { after?: string; limit: number }) {
  let select = db
    .selectFrom('events')
    .select(['id', 'type', 'data', 'subject', 'occurred_at', 'received_at', 'payload_expired_at', 'erased_at'])
    .where('workspace_id', '=', workspaceId)
    .where('subject', '=', subject);
  if (query.after !== undefined) select = select.where('id', '>', query.after);
  const events = await select.orderBy('id').limit(query.limit).execute();
  const deliveries =
    events.length === 0
      ? []
      : await db
          .selectFrom('deliveries')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where(
            'event_id',
            'in',
            events.map((event) => event.id),
          )
          .orderBy('created_at')
          .execute();
  return events.map((event) => ({ ...event, deliveries: deliveries.filter((delivery) => delivery.event_id === event.id) }));
}

/** A job for this subject still deleting its histories: asking again joins it rather than starting another. */
export async function runningErasure(db: Db, workspaceId: string, subjectHash: string): Promise<Erasure | null> {
  const row = await db
    .selectFrom('erasures')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('subject_hash', '=', subjectHash)
    .where('status', '=', 'running')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ?? null;
}
