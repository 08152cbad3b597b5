// Data lifecycle: each workspace's retention windows, the marks a purge or an erasure leaves, the erasure jobs, and the indexes that find what to purge or erase.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Defaults a platform would pick: event data and bodies 30 days, records 90 (src/domain/retention.ts says why).
  await db.schema
    .alterTable('workspaces')
    .addColumn('payload_retention_seconds', 'integer', (column) => column.notNull().defaultTo(30 * 86_400))
    .addColumn('record_retention_seconds', 'integer', (column) => column.notNull().defaultTo(90 * 86_400))
    .execute();
  // Set when the event's data (and its attempts' bodies) were purged, or erased for its subject.
  await db.schema.alterTable('events').addColumn('payload_expired_at', 'timestamptz').addColumn('erased_at', 'timestamptz').execute();
  // The purge walks each workspace's events by age; the erasure and the export find a subject's events.
  await sql`CREATE INDEX events_by_age ON events (workspace_id, received_at)`.execute(db);
  await sql`CREATE INDEX events_by_subject ON events (workspace_id, subject) WHERE subject IS NOT NULL`.execute(db);
  // An event's deliveries (what the purge and the erasure scrub, and a cascading delete finds) come by the unique
  // (event_id, destination_id) index of 0001: no index of their own.
  await db.schema
    .createTable('erasures')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
    // The keyed hash of the subject, never the subject: the job's record must not keep what it erased.
    .addColumn('subject_hash', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('requested_by', 'text', (column) => column.notNull())
    .addColumn('request_id', 'text')
    .addColumn('events_erased', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('deliveries_cancelled', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('workflows_deleted', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('erasures_workspace').on('erasures').columns(['workspace_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('erasures').execute();
  for (const name of ['events_by_subject', 'events_by_age']) await db.schema.dropIndex(name).execute();
  await db.schema.alterTable('events').dropColumn('payload_expired_at').dropColumn('erased_at').execute();
  await db.schema.alterTable('workspaces').dropColumn('payload_retention_seconds').dropColumn('record_retention_seconds').execute();
}
