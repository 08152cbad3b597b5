// Attempts and delivery states in PostgreSQL: one attempt row per try and the delivery's current state, written together.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { DeliveryStatus } from '../domain/delivery';

export interface AttemptRecord {
  deliveryId: string;
  /** Undefined only for attempts scheduled before activity inputs carried it (the delivery id is unique anyway). */
  workspaceId: string | undefined;
  /** The workflow that made this attempt: the event workflow inline, or the delivery's own workflow. */
  workflowId: string;
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
  /** For a delivery's final outcome (not tests): moves the destination's failure streak. */
  streak: { destinationId: string; failed: boolean } | null;
}

/** The destination's streak after a change; absent when nothing changed (a success with no streak to end). */
export interface StreakChange {
  consecutiveFailures: number;
  version: number;
  failureThreshold: number;
}

/**
 * One statement: bump the delivery's attempt count, set its state, insert the attempt numbered by that
 * count (so a row never shows an attempt its history lacks) and, for a final outcome, move the
 * destination's failure streak. A success touches the destination only when it ends a streak, so the
 * hot path of a healthy destination writes nothing there.
 */
export async function recordAttempt(db: Db, record: AttemptRecord): Promise<{ attemptNumber: number; streak: StreakChange | null }> {
  const finished = record.status === 'succeeded' || record.status === 'failed' ? record.now : null;
  const lastError = record.errorMessage ?? (record.responseStatus !== null && record.status !== 'succeeded' ? `HTTP ${record.responseStatus}` : null);
  const streakApplies = record.streak !== null;
  const failed = record.streak?.failed ?? false;
  const result = await sql<{
    attempt_number: number | null;
    consecutive_failures: number | null;
    health_version: number | null;
    failure_threshold: number | null;
  }>`
    WITH streak AS (
      UPDATE destinations
         SET consecutive_failures = CASE WHEN ${failed} THEN consecutive_failures + 1 ELSE 0 END,
             health_version = health_version + 1
       WHERE id = ${record.streak?.destinationId ?? null} AND ${streakApplies} AND (${failed} OR consecutive_failures > 0)
       RETURNING consecutive_failures, health_version, failure_threshold
    ),
    updated AS (
      UPDATE deliveries
         SET attempt_count = attempt_count + 1,
             status = ${record.status},
             last_status_code = ${record.responseStatus},
             last_error = ${lastError},
             next_attempt_at = ${record.nextAttemptAt},
             queue_reason = NULL,
             completed_at = ${finished},
             workflow_id = ${record.workflowId},
             updated_at = ${record.now}
       WHERE id = ${record.deliveryId} AND (${record.workspaceId ?? null}::text IS NULL OR workspace_id = ${record.workspaceId ?? null})
         -- Erased while this attempt was in flight: neither the attempt nor what the receiver answered is kept.
         AND status <> 'erased'
       RETURNING workspace_id, attempt_count
    ),
    inserted AS (
      INSERT INTO attempts (workspace_id, delivery_id, attempt_number, started_at, duration_ms, request_method, request_url,
                            request_headers, response_status, response_headers, response_excerpt, error_class, error_message)
      SELECT workspace_id, ${record.deliveryId}, attempt_count, ${record.startedAt}, ${Math.round(record.durationMs)},
             ${record.requestMethod}, ${record.requestUrl}, ${JSON.stringify(record.requestHeaders)}::jsonb, ${record.responseStatus},
             ${record.responseHeaders === null ? null : JSON.stringify(record.responseHeaders)}::jsonb, ${record.responseExcerpt},
             ${record.errorClass}, ${record.errorMessage}
        FROM updated
      ON CONFLICT (delivery_id, attempt_number) DO NOTHING
      RETURNING attempt_number
    )
    SELECT (SELECT attempt_number FROM inserted) AS attempt_number, streak.consecutive_failures, streak.health_version, streak.failure_threshold
      FROM (SELECT 1) AS one LEFT JOIN streak ON true`.execute(db);
  const row = result.rows[0];
  const streak =
    row && row.consecutive_failures !== null && row.health_version !== null && row.failure_threshold !== null
      ? { consecutiveFailures: row.consecutive_failures, version: Number(row.health_version), failureThreshold: row.failure_threshold }
      : null;
  return { attemptNumber: row?.attempt_number ?? 0, streak };
}

/** Sets a final or waiting state without an attempt (template errors, exhausted retries, cancellation). */
export async function setDeliveryState(
  db: Db,
  input: { deliveryId: string; workspaceId: string | undefined; status: DeliveryStatus; error?: string | null; now: Date; onlyIfNot?: DeliveryStatus[] },
): Promise<void> {
  const terminal = ['succeeded', 'failed', 'cancelled', 'superseded', 'erased'].includes(input.status);
  let query = db
    .updateTable('deliveries')
    .set({
      status: input.status,
      next_attempt_at: null,
      queue_reason: null,
      completed_at: terminal ? input.now : null,
      updated_at: input.now,
      ...(input.error !== undefined ? { last_error: input.error } : {}),
    })
    .where('id', '=', input.deliveryId);
  if (input.workspaceId !== undefined) query = query.where('workspace_id', '=', input.workspaceId);
  // An erased delivery stays erased: a workflow's late write must not reopen what its subject asked to be rid of.
  query = query.where('status', 'not in', [...(input.onlyIfNot ?? []), 'erased']);
  await query.execute();
}
