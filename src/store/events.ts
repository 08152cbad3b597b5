// Events in PostgreSQL: what remains of a rejected event, and reading events back (ingestion stores them: event-outbox.ts).
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connect';
import type { EventRow } from '../db/schema';
import { NotFoundError } from '../domain/errors';
import { eventWorkflowId } from '../domain/ids';
import type { EventWorkflowInput } from '../contracts/delivery';

/** The accepted event, as its workflow carries it. */
type EventToStore = EventWorkflowInput;

/**
 * The one statement that inserts an event's row, idempotent by id, for ingestion, a rejection and planning's path for
 * events started before the outbox; callers add RETURNING. `when` guards the insert (the casts let it be a SELECT).
 */
export function insertEventRow(event: EventToStore, extra: { fingerprint?: string | null; rejectedReason?: string; when?: RawBuilder<unknown> } = {}) {
  return sql`
    INSERT INTO events (id, workspace_id, type, data, subject, occurred_at, received_at, idempotency_key, is_test, workflow_id, request_fingerprint, rejected_reason)
    SELECT ${event.eventId}, ${event.workspaceId}, ${event.type}, ${JSON.stringify(event.data ?? null)}::jsonb, ${event.subject}::text,
           ${event.occurredAt}::timestamptz, ${event.receivedAt}::timestamptz, ${event.idempotencyKey}::text, ${event.test !== undefined}::boolean,
           ${eventWorkflowId(event.eventId)}, ${extra.fingerprint ?? null}::text, ${extra.rejectedReason ?? null}::text
    ${extra.when ?? sql``}
    ON CONFLICT (id) DO NOTHING`;
}

/**
 * What remains of an event planning refused for good: its id, type and times, no data, and why; it leaves the outbox.
 * Idempotent, so a repeated rejection changes nothing; an event started by a release before the outbox is stored so.
 */
export async function storeRejectedEvent(db: Db, event: EventToStore, reason: string): Promise<void> {
  const remains = { ...event, data: null, subject: null, occurredAt: event.receivedAt };
  await sql`
    WITH taken AS (DELETE FROM event_outbox WHERE event_id = ${event.eventId}),
    kept AS (
      UPDATE events SET data = 'null'::jsonb, subject = NULL, occurred_at = received_at, rejected_reason = ${reason}
       WHERE id = ${event.eventId} AND workspace_id = ${event.workspaceId} AND rejected_reason IS NULL
      RETURNING id
    )
    ${insertEventRow(remains, { rejectedReason: reason, when: sql`WHERE NOT EXISTS (SELECT 1 FROM kept)` })}`.execute(db);
}

export async function findEvent(db: Db, workspaceId: string, id: string): Promise<EventRow> {
  const event = await db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!event) throw new NotFoundError('Event');
  return event;
}
