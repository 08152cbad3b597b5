// Destinations and their subscriptions in PostgreSQL: every query scoped to one workspace, deleted rows skipped.
import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/connect';
import type { Database, Destination, DestinationUpdate } from '../db/schema';
import type { DestinationStatus } from '../domain/destination';
import type { DestinationSettings } from '../domain/destination-settings';
import { settingsColumns } from './destination-columns';
import { ConflictError, NotFoundError } from '../domain/errors';
import { newId } from '../domain/ids';

/** A kysely handle or an open transaction: store functions run in either. */
type Queryable = Kysely<Database>;

/** Subscriptions per destination; a set, so returned sorted. */
export async function loadEventTypes(db: Queryable, workspaceId: string, destinationIds: string[]): Promise<Map<string, string[]>> {
  const byDestination = new Map<string, string[]>(destinationIds.map((id) => [id, []]));
  if (destinationIds.length === 0) return byDestination;
  const rows = await db
    .selectFrom('subscriptions')
    .select(['destination_id', 'event_type'])
    .where('workspace_id', '=', workspaceId)
    .where('destination_id', 'in', destinationIds)
    .execute();
  for (const row of rows) byDestination.get(row.destination_id)?.push(row.event_type);
  // Sorted in JS, not by the database collation, so reads agree with what create and PATCH answer.
  for (const eventTypes of byDestination.values()) eventTypes.sort();
  return byDestination;
}

/** A destination with its subscription set, as reads answer it. */
export interface DestinationWithTypes {
  row: Destination;
  eventTypes: string[];
}

/** The live destination, or NotFound whether it is deleted, missing or another workspace's. `forUpdate` locks the row. */
export async function findDestination(db: Queryable, workspaceId: string, id: string, forUpdate = false): Promise<Destination> {
  let query = db.selectFrom('destinations').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new NotFoundError('Destination');
  return row;
}

export async function readDestination(db: Queryable, workspaceId: string, id: string): Promise<DestinationWithTypes> {
  const row = await findDestination(db, workspaceId, id);
  return { row, eventTypes: (await loadEventTypes(db, workspaceId, [row.id])).get(row.id) ?? [] };
}

/** One page in id order; `status` is the SQL form of domain/destination.ts's destinationStatus. */
export async function listDestinations(
  db: Db,
  workspaceId: string,
  query: { after?: string; status?: DestinationStatus; ids?: string[]; limit: number },
): Promise<DestinationWithTypes[]> {
  let select = db.selectFrom('destinations').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null);
  if (query.after !== undefined) select = select.where('id', '>', query.after);
  if (query.ids !== undefined) select = query.ids.length === 0 ? select.where(sql<boolean>`false`) : select.where('id', 'in', query.ids);
  if (query.status === 'inactive') select = select.where('enabled', '=', false);
  if (query.status === 'auto_disabled') select = select.where('enabled', '=', true).where('auto_disabled_at', 'is not', null);
  if (query.status === 'active') select = select.where('enabled', '=', true).where('auto_disabled_at', 'is', null);
  const rows = await select.orderBy('id').limit(query.limit).execute();
  const eventTypes = await loadEventTypes(
    db,
    workspaceId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ row, eventTypes: eventTypes.get(row.id) ?? [] }));
}

export async function replaceSubscriptions(trx: Queryable, workspaceId: string, destinationId: string, eventTypes: string[]): Promise<void> {
  await trx.deleteFrom('subscriptions').where('workspace_id', '=', workspaceId).where('destination_id', '=', destinationId).execute();
  if (eventTypes.length === 0) return;
  await trx
    .insertInto('subscriptions')
    .values(eventTypes.map((eventType) => ({ workspace_id: workspaceId, destination_id: destinationId, event_type: eventType })))
    .execute();
}

/** Replaces a live destination's subscription set (404 for a deleted or foreign one). */
export async function putSubscriptions(db: Db, workspaceId: string, id: string, eventTypes: string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await findDestination(trx, workspaceId, id, true);
    await replaceSubscriptions(trx, workspaceId, row.id, eventTypes);
    await trx.updateTable('destinations').set({ updated_at: new Date() }).where('workspace_id', '=', workspaceId).where('id', '=', row.id).execute();
  });
}

/**
 * Locks the workspace row first so two concurrent creates cannot both see "one below the cap":
 * the second waits for the first to commit and then counts its row.
 */
export async function insertDestination(
  db: Db,
  input: {
    workspaceId: string;
    settings: DestinationSettings;
    secretSealed: string;
    signingKey: { sealed: string; publicKey: string } | null;
    maxPerWorkspace: number;
  },
): Promise<Destination> {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('workspaces').select('id').where('id', '=', input.workspaceId).forUpdate().executeTakeFirstOrThrow();
    const { count } = await trx
      .selectFrom('destinations')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('workspace_id', '=', input.workspaceId)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (count >= input.maxPerWorkspace) {
      throw new ConflictError(
        'destination_limit_reached',
        `This workspace already has ${count} destinations, the limit is ${input.maxPerWorkspace}; delete one first`,
      );
    }
    const row = await trx
      .insertInto('destinations')
      .values({
        id: newId('dst'),
        workspace_id: input.workspaceId,
        ...settingsColumns(input.settings),
        secret_sealed: input.secretSealed,
        previous_secret_sealed: null,
        previous_secret_expires_at: null,
        signing_key_sealed: input.signingKey?.sealed ?? null,
        public_key: input.signingKey?.publicKey ?? null,
        auto_disabled_at: null,
        auto_disabled_reason: null,
        deleted_at: null,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await replaceSubscriptions(trx, input.workspaceId, row.id, input.settings.event_types);
    return row;
  });
}

/** What an update decided from the locked row: the merged settings and any extra columns (e.g. clearing auto-disable). */
export interface DestinationChange<T> {
  settings: DestinationSettings;
  extra?: DestinationUpdate;
  /** Handed back to the caller after the commit. */
  outcome: T;
}

/** Locks the row, lets `decide` merge and check the new settings, and writes them; all in one transaction. */
export async function updateDestination<T>(
  db: Db,
  workspaceId: string,
  id: string,
  decide: (current: Destination, currentEventTypes: string[]) => DestinationChange<T>,
): Promise<{ destination: DestinationWithTypes; outcome: T }> {
  return db.transaction().execute(async (trx) => {
    const current = await findDestination(trx, workspaceId, id, true);
    const currentTypes = (await loadEventTypes(trx, workspaceId, [current.id])).get(current.id) ?? [];
    const change = decide(current, currentTypes);
    const row = await trx
      .updateTable('destinations')
      .set({ ...settingsColumns(change.settings), ...change.extra, updated_at: new Date() })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await replaceSubscriptions(trx, workspaceId, id, change.settings.event_types);
    return { destination: { row, eventTypes: change.settings.event_types }, outcome: change.outcome };
  });
}

/**
 * Soft delete: no event can match it any more (its subscriptions go), its history stays. Held deliveries are
 * marked cancelled in the same transaction; answers how many, so their waiting workflows can be woken.
 */
export async function deleteDestination(db: Db, workspaceId: string, id: string): Promise<{ cancelledHeld: number }> {
  return db.transaction().execute(async (trx) => {
    const current = await findDestination(trx, workspaceId, id, true);
    const now = new Date();
    await trx
      .updateTable('destinations')
      .set({ deleted_at: now, updated_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', current.id)
      .execute();
    await trx.deleteFrom('subscriptions').where('workspace_id', '=', workspaceId).where('destination_id', '=', current.id).execute();
    // Its OAuth token is a live credential for the receiver: nothing will send it again.
    await trx.deleteFrom('destination_tokens').where('workspace_id', '=', workspaceId).where('destination_id', '=', current.id).execute();
    return { cancelledHeld: await cancelHeldDeliveries(trx, workspaceId, current.id, 'destination deleted', now) };
  });
}

/**
 * Marks held deliveries cancelled but leaves completed_at empty: their workflows are still waiting, and
 * the health workflow wakes exactly those rows so each ends itself (and sets completed_at) as cancelled.
 */
export async function cancelHeldDeliveries(db: Queryable, workspaceId: string, destinationId: string, reason: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('deliveries')
    .set({ status: 'cancelled', last_error: reason, next_attempt_at: null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('destination_id', '=', destinationId)
    .where('status', '=', 'held')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The health workflow's pause; only an active, live destination is paused. Reads back, so a retried pause still answers. */
export async function pauseDestination(db: Db, workspaceId: string, id: string, reason: string, now: Date) {
  await db
    .updateTable('destinations')
    .set({ auto_disabled_at: now, auto_disabled_reason: reason, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('auto_disabled_at', 'is', null)
    .where('enabled', '=', true)
    .where('deleted_at', 'is', null)
    .execute();
  return db
    .selectFrom('destinations')
    .select(['id', 'workspace_id', 'name', 'auto_disabled_at', 'auto_disabled_reason', 'auto_recover', 'deleted_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A successful recovery probe lifts the auto-disable and starts the streak over; false if it was no longer paused. */
export async function liftAutoDisable(db: Db, workspaceId: string, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('destinations')
    .set({ auto_disabled_at: null, auto_disabled_reason: null, consecutive_failures: 0, health_version: sql`health_version + 1`, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('auto_disabled_at', 'is not', null)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
