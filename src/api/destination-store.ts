// Reads and writes destinations and their subscriptions, always scoped to one workspace and skipping deleted rows.
import type { Kysely } from 'kysely';
import type { Database, Destination, DestinationUpdate } from '../db/schema';
import type { Db } from '../db/connect';
import { newId } from '../domain/ids';
import type { DestinationStatus } from './destination.schemas';
import type { DestinationSettings } from './destination-rules';
import { ApiError } from './errors';

export function destinationStatus(row: Pick<Destination, 'enabled' | 'auto_disabled_at'>): DestinationStatus {
  if (!row.enabled) return 'inactive';
  return row.auto_disabled_at ? 'auto_disabled' : 'active';
}

/** The public JSON of a destination: its settings and status, never the sealed secrets, counters or deletion marker. */
export function toDestinationJson(row: Destination, eventTypes: string[]) {
  return {
    id: row.id,
    ...settingsOf(row, eventTypes),
    status: destinationStatus(row),
    auto_disabled_at: row.auto_disabled_at?.toISOString() ?? null,
    auto_disabled_reason: row.auto_disabled_reason,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** The settings as column values; JSON columns are written as text, SQL NULL where nothing is set. */
function settingsColumns(settings: DestinationSettings) {
  return {
    name: settings.name,
    url: settings.url,
    method: settings.method,
    headers: JSON.stringify(settings.headers),
    query_params: JSON.stringify(settings.query_params),
    body_template: settings.body_template === null || settings.body_template === undefined ? null : JSON.stringify(settings.body_template),
    timeout_seconds: settings.timeout_seconds,
    enabled: settings.enabled,
    trigger: settings.trigger,
    filter: settings.filter === null ? null : JSON.stringify(settings.filter),
    max_attempts: settings.max_attempts,
    failure_threshold: settings.failure_threshold,
    auto_recover: settings.auto_recover,
    signature_scheme: settings.signature_scheme,
    signature_header: settings.signature_header,
  };
}

export function settingsOf(row: Destination, eventTypes: string[]): DestinationSettings {
  return {
    name: row.name,
    url: row.url,
    method: row.method,
    headers: row.headers,
    query_params: row.query_params,
    body_template: row.body_template ?? null,
    timeout_seconds: row.timeout_seconds,
    enabled: row.enabled,
    trigger: row.trigger,
    filter: row.filter,
    max_attempts: row.max_attempts,
    failure_threshold: row.failure_threshold,
    auto_recover: row.auto_recover,
    signature_scheme: row.signature_scheme,
    signature_header: row.signature_header,
    event_types: eventTypes,
  };
}

/** Subscriptions per destination; a set, so returned sorted. */
export async function loadEventTypes(db: Kysely<Database>, workspaceId: string, destinationIds: string[]): Promise<Map<string, string[]>> {
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

/** The live destination, or 404 whether it is deleted, missing or another workspace's. `forUpdate` locks the row. */
export async function findDestination(db: Kysely<Database>, workspaceId: string, id: string, forUpdate = false): Promise<Destination> {
  let query = db.selectFrom('destinations').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw ApiError.notFound('Destination');
  return row;
}

export async function replaceSubscriptions(trx: Kysely<Database>, workspaceId: string, destinationId: string, eventTypes: string[]): Promise<void> {
  await trx.deleteFrom('subscriptions').where('workspace_id', '=', workspaceId).where('destination_id', '=', destinationId).execute();
  if (eventTypes.length === 0) return;
  await trx
    .insertInto('subscriptions')
    .values(eventTypes.map((eventType) => ({ workspace_id: workspaceId, destination_id: destinationId, event_type: eventType })))
    .execute();
}

/**
 * Locks the workspace row first so two concurrent creates cannot both see "one below the cap":
 * the second waits for the first to commit and then counts its row.
 */
export async function insertDestination(
  db: Db,
  input: { workspaceId: string; settings: DestinationSettings; secretSealed: string; maxPerWorkspace: number },
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
      throw new ApiError(409, 'destination_limit_reached', `This workspace already has ${count} destinations, the limit is ${input.maxPerWorkspace}; delete one first`);
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

/** Writes merged settings (and any extra columns, e.g. clearing auto-disable) to a row the caller has locked. */
export async function updateDestinationRow(
  trx: Kysely<Database>,
  workspaceId: string,
  id: string,
  settings: DestinationSettings,
  extra: DestinationUpdate = {},
): Promise<Destination> {
  const row = await trx
    .updateTable('destinations')
    .set({ ...settingsColumns(settings), ...extra, updated_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await replaceSubscriptions(trx, workspaceId, id, settings.event_types);
  return row;
}
