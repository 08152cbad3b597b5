// Events in PostgreSQL: what remains of a rejected event, and reading events back (ingestion stores them: event-outbox.ts).
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { EventRow } from '../db/schema';
import { NotFoundError } from '../domain/errors';
import { eventRow } from './event-plan';
import type { EventWorkflowInput } from '../contracts/delivery';

/** The accepted event, as its workflow carries it. */
type EventToStore = EventWorkflowInput;

/**
 * What remains of an event planning refused for good: its id, type and times, no data, and why; it leaves the outbox.
 * Idempotent, so a repeated rejection changes nothing; an event started by a release before the outbox is stored so.
 */
export async function storeRejectedEvent(db: Db, event: EventToStore, reason: string): Promise<void> {
  const remains = eventRow({ ...event, data: null, subject: null, occurredAt: event.receivedAt });
  await sql`
    WITH taken AS (DELETE FROM event_outbox WHERE event_id = ${event.eventId}),
    kept AS (
      UPDATE events SET data = 'null'::jsonb, subject = NULL, occurred_at = received_at, rejected_reason = ${reason}
       WHERE id = ${event.eventId} AND workspace_id = ${event.workspaceId} AND rejected_reason IS NULL
      RETURNING id
    )
    INSERT INTO events (id, workspace_id, type, data, subject, occurred_at, received_at, idempotency_key, is_test, workflow_id, rejected_reason)
    SELECT ${remains.id}, ${remains.workspace_id}, ${remains.type}, 'null'::jsonb, NULL, ${remains.occurred_at}, ${remains.received_at},
           ${remains.idempotency_key}, ${remains.is_test}, ${remains.workflow_id}, ${reason}
     WHERE NOT EXISTS (SELECT 1 FROM kept)
    ON CONFLICT (id) DO NOTHING`.execute(db);
}

export async function findEvent(db: Db, workspaceId: string, id: string): Promise<EventRow> {
  const event = await db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!event) throw new NotFoundError('Event');
  return event;
}
