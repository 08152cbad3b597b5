// Operability: the per-destination trace-context switch, and indexes that keep the scrape-time gauges cheap.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('destinations')
    // On by default: a receiver that traces joins Hookline's trace; a destination can leave `traceparent` out.
    .addColumn('trace_context', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  // hookline_deliveries_open counts these on every scrape; finished deliveries, the vast majority, stay out of the index.
  await sql`CREATE INDEX deliveries_open ON deliveries (status) WHERE status IN ('pending', 'delivering', 'held')`.execute(db);
  // hookline_destination_failure_streak reads the worst few; healthy destinations are not in the index.
  await sql`CREATE INDEX destinations_failing ON destinations (consecutive_failures DESC, id) WHERE deleted_at IS NULL AND consecutive_failures > 0`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('destinations_failing').ifExists().execute();
  await db.schema.dropIndex('deliveries_open').ifExists().execute();
  await db.schema.alterTable('destinations').dropColumn('trace_context').execute();
}
