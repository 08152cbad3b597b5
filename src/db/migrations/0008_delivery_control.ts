// Delivery control per destination: its limits, the receiver's push-back, the pacing state and open-request leases, and queued deliveries.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('destinations')
    .addColumn('rate_limit_requests', 'integer')
    .addColumn('rate_limit_per_seconds', 'integer')
    .addColumn('rate_limit_burst', 'integer')
    .addColumn('max_concurrent_requests', 'integer')
    // Until when the receiver's push-back (a Retry-After, a halved rate) lasts: read with the attempt's context, so a
    // destination without limits asks for a permit only while it lasts.
    .addColumn('throttled_until', 'timestamptz')
    .addColumn('throttle_reason', 'text')
    .execute();
  // Why a queued delivery waits: rate_limit, concurrency or throttled.
  await db.schema.alterTable('deliveries').addColumn('queue_reason', 'text').execute();
  await db.schema
    .createTable('destination_pacing')
    .addColumn('destination_id', 'text', (column) => column.primaryKey())
    .addColumn('workspace_id', 'text', (column) => column.notNull())
    .addColumn('tat', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('queue_end', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('queue_reason', 'text')
    .addColumn('throttled_until', 'timestamptz')
    .addColumn('rate_share', 'double precision', (column) => column.notNull().defaultTo(1))
    .addColumn('share_since', 'timestamptz')
    .addColumn('adaptive_base_rps', 'double precision')
    .addColumn('mean_send_ms', 'double precision', (column) => column.notNull().defaultTo(100))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  // One lease per open request to a capped destination; a worker that dies leaves it to expire.
  await db.schema
    .createTable('destination_leases')
    .addColumn('destination_id', 'text', (column) => column.notNull())
    .addColumn('delivery_id', 'text', (column) => column.notNull())
    .addColumn('workspace_id', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('destination_leases_pkey', ['destination_id', 'delivery_id'])
    .execute();
  // The queue gauges and the destination page count queued deliveries; only queued rows are indexed.
  await db.schema.createIndex('deliveries_queued').on('deliveries').columns(['destination_id', 'created_at']).where(sql.ref('status'), '=', 'queued').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deliveries_queued').execute();
  await db.schema.dropTable('destination_leases').execute();
  await db.schema.dropTable('destination_pacing').execute();
  await db.schema.alterTable('deliveries').dropColumn('queue_reason').execute();
  for (const column of ['rate_limit_requests', 'rate_limit_per_seconds', 'rate_limit_burst', 'max_concurrent_requests', 'throttled_until', 'throttle_reason']) {
    await db.schema.alterTable('destinations').dropColumn(column).execute();
  }
}
