// The workspace's event catalog in PostgreSQL: upsert, list, read, the schema a payload is checked against, the defaults.
import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/connect';
import { notifyConfigChange } from './notifications';
import type { Database, EventType } from '../db/schema';
import { NotFoundError } from '../domain/errors';
import { DEFAULT_EVENT_TYPES } from '../domain/event-catalog';

// updated_at as text keeps PostgreSQL's microseconds, which a JS Date would round away: two quick PUTs stay two versions.
const schemaVersion = sql<string>`updated_at::text`;

/** Registers or replaces a type; `inserted` tells a new type from a replaced one. */
export async function upsertEventType(
  db: Db,
  workspaceId: string,
  name: string,
  input: { description: string; schema: Record<string, unknown> | null; example: unknown },
): Promise<EventType & { inserted: boolean }> {
  const values = {
    description: input.description,
    schema: input.schema === null ? null : JSON.stringify(input.schema),
    example: input.example === undefined || input.example === null ? null : JSON.stringify(input.example),
    // clock_timestamp, not now(): distinct per statement, so the payload validator's cache sees every version.
    updated_at: sql<Date>`clock_timestamp()`,
  };
  // With its notification, in one transaction: every API replica's cache of schema versions forgets the type at commit.
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('event_types')
      .values({ workspace_id: workspaceId, name, ...values })
      .onConflict((conflict) => conflict.columns(['workspace_id', 'name']).doUpdateSet(values))
      // xmax is 0 only on a freshly inserted row version: how PostgreSQL tells an upsert's insert from its update.
      .returningAll()
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .executeTakeFirstOrThrow();
    await notifyConfigChange(trx);
    return row;
  });
}

export async function listEventTypes(db: Db, workspaceId: string, query: { after?: string; names?: string[]; limit: number }): Promise<EventType[]> {
  let select = db.selectFrom('event_types').selectAll().where('workspace_id', '=', workspaceId);
  if (query.names !== undefined) select = query.names.length === 0 ? select.where(sql<boolean>`false`) : select.where('name', 'in', query.names);
  if (query.after !== undefined) select = select.where('name', '>', query.after);
  return select.orderBy('name').limit(query.limit).execute();
}

export async function readEventType(db: Db, workspaceId: string, name: string): Promise<EventType> {
  const row = await findEventType(db, workspaceId, name);
  if (!row) throw new NotFoundError('Event type');
  return row;
}

export async function findEventType(db: Db, workspaceId: string, name: string): Promise<EventType | undefined> {
  return db.selectFrom('event_types').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
}

/** The version of the type's schema, or undefined when it has none (or is not registered): one small query per event. */
export async function schemaVersionOf(db: Db, workspaceId: string, name: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('event_types')
    .select(schemaVersion.as('version'))
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .where('schema', 'is not', null)
    .executeTakeFirst();
  return row?.version;
}

export async function schemaOf(db: Db, workspaceId: string, name: string): Promise<{ schema: Record<string, unknown> | null; version: string } | undefined> {
  return db
    .selectFrom('event_types')
    .select(['schema', schemaVersion.as('version')])
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** Registers the defaults for a workspace inside the caller's transaction; types it already has are left alone. */
export async function seedDefaultEventTypes(db: Kysely<Database>, workspaceId: string): Promise<void> {
  const now = new Date();
  await db
    .insertInto('event_types')
    .values(
      DEFAULT_EVENT_TYPES.map((type) => ({
        workspace_id: workspaceId,
        name: type.name,
        description: type.description,
        schema: null,
        example: JSON.stringify(type.example),
        updated_at: now,
      })),
    )
    .onConflict((conflict) => conflict.columns(['workspace_id', 'name']).doNothing())
    .execute();
}
