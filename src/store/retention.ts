// Each workspace's retention windows, and the purge's bounded batches: payloads out of events and attempts, then whole records out of every table.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { OPEN_DELIVERY_STATUSES } from '../domain/delivery';
import { NotFoundError } from '../domain/errors';
import type { Retention } from '../domain/retention';

export interface PurgedBatch {
  /** Rows changed (payloads) or deleted (records), by table. */
  rows: { events: number; deliveries: number; attempts: number };
  /** Bytes of what went, as PostgreSQL stores it (pg_column_size): the payloads, or the whole rows. */
  bytes: { events: number; deliveries: number; attempts: number };
}

/** The open delivery statuses as an SQL list: deliveries that may still send. */
export const openStatuses = sql.join(OPEN_DELIVERY_STATUSES.map((status) => sql.lit(status)));

/**
 * What an attempt keeps once its bodies go (past the payload window, or erased): status, timings, the receiver's
 * origin; not the path or query a template may have filled with the event's data. For `UPDATE attempts a SET …`.
 */
export const attemptWithoutBodies = sql`response_excerpt = NULL, response_headers = NULL, request_headers = '{}'::jsonb,
  request_url = coalesce(substring(a.request_url from '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*'), '')`;

export async function readRetention(db: Db, workspaceId: string): Promise<Retention> {
  const row = await db
    .selectFrom('workspaces')
    .select(['payload_retention_seconds', 'record_retention_seconds'])
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Workspace');
  return { payloadSeconds: row.payload_retention_seconds, recordSeconds: row.record_retention_seconds };
}

export async function updateRetention(db: Db, workspaceId: string, retention: Retention): Promise<Retention> {
  await db
    .updateTable('workspaces')
    .set({ payload_retention_seconds: retention.payloadSeconds, record_retention_seconds: retention.recordSeconds })
    .where('id', '=', workspaceId)
    .execute();
  return retention;
}

/** Every workspace with its windows, oldest first: what one purge run walks. */
export async function workspaceRetentions(db: Db): Promise<({ workspaceId: string } & Retention)[]> {
  const rows = await db.selectFrom('workspaces').select(['id', 'payload_retention_seconds', 'record_retention_seconds']).orderBy('id').execute();
  return rows.map((row) => ({ workspaceId: row.id, payloadSeconds: row.payload_retention_seconds, recordSeconds: row.record_retention_seconds }));
}

/*
 * Both batches pick events that nothing is still sending (no open delivery, not waiting in the outbox): a delivery
 * held for days keeps its event's data until it is sent or discarded, whatever the window. SKIP LOCKED and a LIMIT keep
 * each statement short, so a purge never holds up ingestion or an attempt; a crash loses at most the batch in flight.
 */
const settled = sql`NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status IN (${openStatuses}))
                AND NOT EXISTS (SELECT 1 FROM event_outbox o WHERE o.event_id = e.id)`;

/** Up to `limit` events past the payload window lose their data; their attempts lose the bodies, headers and URL path. */
export async function purgePayloads(db: Db, workspaceId: string, before: Date, limit: number): Promise<PurgedBatch> {
  const result = await sql<{ events: string; event_bytes: string; attempts: string; attempt_bytes: string }>`
    WITH batch AS (
      SELECT e.id, pg_column_size(e.data) AS bytes FROM events e
       WHERE e.workspace_id = ${workspaceId} AND e.received_at < ${before} AND e.payload_expired_at IS NULL AND ${settled}
       ORDER BY e.received_at
       LIMIT ${limit}
         FOR UPDATE OF e SKIP LOCKED
    ),
    old AS (
      SELECT a.delivery_id, a.attempt_number,
             coalesce(pg_column_size(a.response_excerpt), 0) + coalesce(pg_column_size(a.response_headers), 0)
               + pg_column_size(a.request_headers) + pg_column_size(a.request_url) AS bytes
        FROM batch JOIN deliveries d ON d.event_id = batch.id JOIN attempts a ON a.delivery_id = d.id
    ),
    attempts_done AS (
      UPDATE attempts a SET ${attemptWithoutBodies}
        FROM old WHERE a.delivery_id = old.delivery_id AND a.attempt_number = old.attempt_number
      RETURNING old.bytes
    ),
    events_done AS (
      UPDATE events e SET data = 'null'::jsonb, payload_expired_at = now() FROM batch WHERE e.id = batch.id RETURNING batch.bytes
    )
    SELECT (SELECT count(*) FROM events_done) AS events, (SELECT coalesce(sum(bytes), 0) FROM events_done) AS event_bytes,
           (SELECT count(*) FROM attempts_done) AS attempts, (SELECT coalesce(sum(bytes), 0) FROM attempts_done) AS attempt_bytes`.execute(db);
  const row = result.rows[0]!;
  return {
    rows: { events: Number(row.events), deliveries: 0, attempts: Number(row.attempts) },
    bytes: { events: Number(row.event_bytes), deliveries: 0, attempts: Number(row.attempt_bytes) },
  };
}

/** Up to `limit` events past the record window go, with their deliveries and attempts (the foreign keys cascade). */
export async function purgeRecords(db: Db, workspaceId: string, before: Date, limit: number): Promise<PurgedBatch> {
  const result = await sql<{
    events: string;
    event_bytes: string;
    deliveries: string;
    delivery_bytes: string;
    attempts: string;
    attempt_bytes: string;
  }>`
    WITH batch AS (
      SELECT e.id, pg_column_size(e.*) AS bytes FROM events e
       WHERE e.workspace_id = ${workspaceId} AND e.received_at < ${before} AND ${settled}
       ORDER BY e.received_at
       LIMIT ${limit}
         FOR UPDATE OF e SKIP LOCKED
    ),
    dl AS (SELECT d.id, pg_column_size(d.*) AS bytes FROM batch JOIN deliveries d ON d.event_id = batch.id),
    at AS (SELECT pg_column_size(a.*) AS bytes FROM dl JOIN attempts a ON a.delivery_id = dl.id),
    gone AS (DELETE FROM events e USING batch WHERE e.id = batch.id RETURNING batch.bytes)
    SELECT (SELECT count(*) FROM gone) AS events, (SELECT coalesce(sum(bytes), 0) FROM gone) AS event_bytes,
           (SELECT count(*) FROM dl) AS deliveries, (SELECT coalesce(sum(bytes), 0) FROM dl) AS delivery_bytes,
           (SELECT count(*) FROM at) AS attempts, (SELECT coalesce(sum(bytes), 0) FROM at) AS attempt_bytes`.execute(db);
  const row = result.rows[0]!;
  return {
    rows: { events: Number(row.events), deliveries: Number(row.deliveries), attempts: Number(row.attempts) },
    bytes: { events: Number(row.event_bytes), deliveries: Number(row.delivery_bytes), attempts: Number(row.attempt_bytes) },
  };
}

/**
 * The oldest row of events and of deliveries, for the gauges: one index probe per workspace and table (events by
 * age, deliveries by their listing index). Attempts are as old as their delivery or younger.
 */
export async function oldestRows(db: Db): Promise<{ events: Date | null; deliveries: Date | null }> {
  const result = await sql<{ events: Date | null; deliveries: Date | null }>`
    SELECT min(e.received_at) AS events, min(d.created_at) AS deliveries FROM workspaces w
      LEFT JOIN LATERAL (SELECT received_at FROM events WHERE workspace_id = w.id ORDER BY received_at LIMIT 1) e ON true
      LEFT JOIN LATERAL (SELECT created_at FROM deliveries WHERE workspace_id = w.id ORDER BY created_at LIMIT 1) d ON true`.execute(db);
  return { events: result.rows[0]?.events ?? null, deliveries: result.rows[0]?.deliveries ?? null };
}
