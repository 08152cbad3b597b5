// Relays claim the outbox fairly, a share per workspace: this index lets them step from one workspace to the next.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('event_outbox_by_workspace').on('event_outbox').columns(['task_queue', 'workspace_id', 'available_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('event_outbox_by_workspace').execute();
}
