// Portal sessions (short-lived, revocable, scoped views for a platform's customers) and where a workspace may embed them.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('portal_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // null: every destination (or event type) of the workspace; a list narrows the session to those.
    .addColumn('destination_ids', 'jsonb')
    .addColumn('event_types', 'jsonb')
    .addColumn('read_only', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('portal_sessions_workspace').on('portal_sessions').columns(['workspace_id', 'id']).execute();
  // The origins allowed to frame the portal (CSP frame-ancestors); empty: no one.
  await db.schema
    .alterTable('workspaces')
    .addColumn('portal_frame_ancestors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('portal_frame_ancestors').execute();
  await db.schema.dropTable('portal_sessions').ifExists().execute();
}
