// Endpoint health: an ordered version for failure-streak changes, the auto-recover switch, and a waiting-deliveries index.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('destinations')
    // Bumped with every change of consecutive_failures, so the health workflow can ignore reports that arrive out of order.
    .addColumn('health_version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('auto_recover', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  // Held deliveries, and held ones cancelled but not yet woken, are read oldest first when a destination is released.
  await db.schema
    .createIndex('deliveries_waiting')
    .on('deliveries')
    .columns(['destination_id', 'created_at', 'id'])
    .where(sql.ref('status'), 'in', sql`('held', 'cancelled')`)
    .where(sql.ref('completed_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deliveries_waiting').ifExists().execute();
  await db.schema.alterTable('destinations').dropColumn('auto_recover').dropColumn('health_version').execute();
}
