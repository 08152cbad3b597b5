// Ordered lanes: an order of acceptance for events, a destination's choice to deliver each subject's events in it, and the lane a delivery stands in.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The order events were accepted in: one sequence for every API replica (timestamps tie, and clocks differ).
  await sql`CREATE SEQUENCE IF NOT EXISTS events_seq AS bigint`.execute(db);
  // Added, then defaulted: existing rows keep NULL instead of the whole table being rewritten to number them.
  await db.schema.alterTable('events').addColumn('seq', 'bigint').execute();
  await sql`ALTER TABLE events ALTER COLUMN seq SET DEFAULT nextval('events_seq')`.execute(db);
  // An event not yet planned stands in its subject's lanes already: a later one must not overtake it.
  await db.schema.alterTable('event_outbox').addColumn('subject', 'text').addColumn('event_seq', 'bigint').execute();
  await db.schema
    .createIndex('event_outbox_lanes')
    .on('event_outbox')
    .columns(['workspace_id', 'subject', 'event_seq'])
    .where(sql.ref('subject'), 'is not', null)
    .execute();
  // 'none' (as fast as each delivery can go) or 'subject' (one at a time per subject, in the order events were accepted).
  await db.schema
    .alterTable('destinations')
    .addColumn('ordering', 'text', (column) => column.notNull().defaultTo('none'))
    .execute();
  // Set only on deliveries of ordered destinations, so the lane index holds nothing for the others.
  await db.schema.alterTable('deliveries').addColumn('lane_subject', 'text').addColumn('lane_seq', 'bigint').execute();
  await db.schema
    .createIndex('deliveries_lanes')
    .on('deliveries')
    .columns(['destination_id', 'lane_subject', 'lane_seq'])
    .where(sql.ref('lane_subject'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deliveries_lanes').execute();
  await db.schema.alterTable('deliveries').dropColumn('lane_subject').dropColumn('lane_seq').execute();
  await db.schema.alterTable('destinations').dropColumn('ordering').execute();
  await db.schema.dropIndex('event_outbox_lanes').execute();
  await db.schema.alterTable('event_outbox').dropColumn('subject').dropColumn('event_seq').execute();
  await db.schema.alterTable('events').dropColumn('seq').execute();
  await sql`DROP SEQUENCE IF EXISTS events_seq`.execute(db);
}
