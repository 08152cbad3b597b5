// Indexes for the delivery list (newest first, keyed by created_at then id) and the per-destination reads.
import { type Kysely, sql } from 'kysely';

/*
 * Delivery ids are content hashes, not time-ordered, so every listing walks (created_at, id). Each filter
 * that narrows a large share of a workspace gets its own prefix so a page is an index range, not a scan:
 * destination (also retry-failed and stats), status and event type. Event filters use the existing
 * (event_id, destination_id) unique constraint: an event has few deliveries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX deliveries_listing ON deliveries (workspace_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX deliveries_status_listing ON deliveries (workspace_id, status, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX deliveries_event_type_listing ON deliveries (workspace_id, event_type, created_at DESC, id DESC)`.execute(db);
  // Supersedes (destination_id, created_at): same leading columns plus the id tiebreak the cursor needs.
  await sql`CREATE INDEX deliveries_destination_listing ON deliveries (destination_id, created_at DESC, id DESC)`.execute(db);
  await sql`DROP INDEX IF EXISTS deliveries_destination`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS deliveries_destination ON deliveries (destination_id, created_at)`.execute(db);
  for (const name of ['deliveries_destination_listing', 'deliveries_event_type_listing', 'deliveries_status_listing', 'deliveries_listing']) {
    await sql`DROP INDEX IF EXISTS ${sql.id(name)}`.execute(db);
  }
}
