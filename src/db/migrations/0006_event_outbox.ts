// The ingestion outbox: an event accepted in PostgreSQL and not yet planned by its workflow; the request's fingerprint for idempotency.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('events').addColumn('request_fingerprint', 'text').execute();
  await db.schema
    .createTable('event_outbox')
    .addColumn('event_id', 'text', (column) => column.primaryKey().references('events.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (column) => column.notNull())
    // The relays of this task queue's workers start it (deployments, and test runs, that share a database stay apart).
    .addColumn('task_queue', 'text', (column) => column.notNull())
    // A test send names its one destination; the event row cannot say which.
    .addColumn('test_destination_id', 'text')
    // The ingest request's trace context, so the relay's start continues its trace.
    .addColumn('trace_carrier', 'jsonb')
    .addColumn('enqueued_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    // When a relay may next start it: now, after a lease a relay holds, or after a back-off while Temporal is away.
    .addColumn('available_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('start_attempts', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('event_outbox_due').on('event_outbox').columns(['task_queue', 'available_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('event_outbox').execute();
  await db.schema.alterTable('events').dropColumn('request_fingerprint').execute();
}
