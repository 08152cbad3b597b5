// Writes what happened to a delivery: one attempt row per try and the delivery's current state, together.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { DeliveryStatus } from '../db/schema';

export interface AttemptRecord {
  deliveryId: string;
  startedAt: Date;
  durationMs: number;
  requestMethod: string;
  requestUrl: string;
  /** Without signature headers: a stored request must not help forge one. */
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseExcerpt: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  /** The delivery's state after this attempt. */
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  now: Date;
}

/**
 * One statement: bump the delivery's attempt count, set its state, and insert the attempt numbered by
 * that count, so a row never shows an attempt its history lacks.
 */
export async function recordAttempt(db: Db, record: AttemptRecord): Promise<number> {
  const finished = record.status === 'succeeded' || record.status === 'failed' ? record.now : null;
  const lastError = record.errorMessage ?? (record.responseStatus !== null && record.status !== 'succeeded' ? `HTTP ${record.responseStatus}` : null);
  const result = await sql<{ attempt_number: number }>`
    WITH updated AS (
      UPDATE deliveries
         SET attempt_count = attempt_count + 1,
             status = ${record.status},
             last_status_code = ${record.responseStatus},
             last_error = ${lastError},
             next_attempt_at = ${record.nextAttemptAt},
             completed_at = ${finished},
             updated_at = ${record.now}
       WHERE id = ${record.deliveryId}
       RETURNING workspace_id, attempt_count
    )
    INSERT INTO attempts (workspace_id, delivery_id, attempt_number, started_at, duration_ms, request_method, request_url,
                          request_headers, response_status, response_headers, response_excerpt, error_class, error_message)
    SELECT workspace_id, ${record.deliveryId}, attempt_count, ${record.startedAt}, ${Math.round(record.durationMs)},
           ${record.requestMethod}, ${record.requestUrl}, ${JSON.stringify(record.requestHeaders)}::jsonb, ${record.responseStatus},
           ${record.responseHeaders === null ? null : JSON.stringify(record.responseHeaders)}::jsonb, ${record.responseExcerpt},
           ${record.errorClass}, ${record.errorMessage}
      FROM updated
    ON CONFLICT (delivery_id, attempt_number) DO NOTHING
    RETURNING attempt_number`.execute(db);
  return result.rows[0]?.attempt_number ?? 0;
}

/** Sets a final or waiting state without an attempt (template errors, exhausted retries, cancellation). */
export async function setDeliveryState(
  db: Db,
  input: { deliveryId: string; status: DeliveryStatus; error?: string | null; now: Date; onlyIfNot?: DeliveryStatus[] },
): Promise<void> {
  const terminal = input.status === 'succeeded' || input.status === 'failed' || input.status === 'cancelled';
  let query = db
    .updateTable('deliveries')
    .set({
      status: input.status,
      next_attempt_at: null,
      completed_at: terminal ? input.now : null,
      updated_at: input.now,
      ...(input.error !== undefined ? { last_error: input.error } : {}),
    })
    .where('id', '=', input.deliveryId);
  if (input.onlyIfNot && input.onlyIfNot.length > 0) query = query.where('status', 'not in', input.onlyIfNot);
  await query.execute();
}
