// Events in PostgreSQL: what remains of a rejected event, and reading events back (planning stores them: event-plan.ts).
import type { Db } from '../db/connect';
import type { EventRow } from '../db/schema';
import { NotFoundError } from '../domain/errors';
import { eventRow } from './event-plan';
import type { EventWorkflowInput } from '../contracts/delivery';

/** The accepted event, as its workflow carries it. */
type EventToStore = EventWorkflowInput;

/**
 * What remains of an event planning refused for good: its id, type and times, no data, and why; idempotent by id,
 * so a repeated rejection (or one after a partial store) changes nothing.
 */
export async function storeRejectedEvent(db: Db, event: EventToStore, reason: string): Promise<void> {
  await db
    .insertInto('events')
    .values({ ...eventRow({ ...event, data: null, subject: null, occurredAt: event.receivedAt }), rejected_reason: reason })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function findEvent(db: Db, workspaceId: string, id: string): Promise<EventRow> {
  const event = await db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  // Also the answer for an event accepted but not stored yet: its workflow's first task has not run.
  if (!event) throw new NotFoundError('Event');
  return event;
}
