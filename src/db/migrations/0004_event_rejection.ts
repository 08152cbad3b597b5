// Events planning refused for good (data PostgreSQL cannot hold, a rule no retry can satisfy) are stored as rejected, with why.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('events').addColumn('rejected_reason', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('events').dropColumn('rejected_reason').execute();
}
