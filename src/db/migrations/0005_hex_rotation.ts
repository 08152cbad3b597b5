// During a hex-scheme secret rotation each request carries one signature: this remembers which secret the receiver accepted last.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('destinations')
    .addColumn('receiver_holds_previous_secret', 'boolean', (column) => column.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('destinations').dropColumn('receiver_holds_previous_secret').execute();
}
