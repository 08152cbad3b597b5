// Deliveries in PostgreSQL: history pages, one delivery with its attempts, restart candidates, held counts and stats.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { Delivery } from '../db/schema';
import type { DeliveryStatus } from '../domain/delivery';
import { NotFoundError } from '../domain/errors';
import { createdAtText, formatDeliveryKey, timestamptz, type DeliveryKey } from './delivery-keys';

export interface DeliveryFilters {
  destination_id?: string;
  event_id?: string;
  status?: DeliveryStatus;
  event_type?: string;
  since?: string;
  until?: string;
  is_test?: boolean;
  /** A portal session's narrowing: only these destinations, only these event types. */
  destination_ids?: string[];
  event_types?: string[];
}

/** Up to `limit` deliveries newest first, each with the key a cursor continues after. */
export async function listDeliveries(
  db: Db,
  workspaceId: string,
  query: DeliveryFilters & { after?: DeliveryKey; limit: number },
): Promise<{ row: Delivery; key: string }[]> {
  let select = db.selectFrom('deliveries').selectAll().select(createdAtText().as('cursor_created_at')).where('workspace_id', '=', workspaceId);
  if (query.destination_id !== undefined) select = select.where('destination_id', '=', query.destination_id);
  if (query.event_id !== undefined) select = select.where('event_id', '=', query.event_id);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.event_type !== undefined) select = select.where('event_type', '=', query.event_type);
  if (query.since !== undefined) select = select.where('created_at', '>=', timestamptz(query.since));
  if (query.until !== undefined) select = select.where('created_at', '<', timestamptz(query.until));
  if (query.is_test !== undefined) select = select.where('is_test', '=', query.is_test);
  if (query.destination_ids !== undefined)
    select = query.destination_ids.length === 0 ? select.where(sql<boolean>`false`) : select.where('destination_id', 'in', query.destination_ids);
  if (query.event_types !== undefined)
    select = query.event_types.length === 0 ? select.where(sql<boolean>`false`) : select.where('event_type', 'in', query.event_types);
  const after = query.after;
  if (after !== undefined) {
    select = select.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(timestamptz(after.createdAt), after.id)));
  }
  const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map(({ cursor_created_at: createdAt, ...row }) => ({ row, key: formatDeliveryKey({ createdAt, id: row.id }) }));
}

export async function readDeliveryWithAttempts(db: Db, workspaceId: string, id: string) {
  const delivery = await db.selectFrom('deliveries').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!delivery) throw new NotFoundError('Delivery');
  const event = await db
    .selectFrom('events')
    .select(['payload_expired_at', 'erased_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', delivery.event_id)
    .executeTakeFirst();
  const attempts = await db
    .selectFrom('attempts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('delivery_id', '=', delivery.id)
    .orderBy('attempt_number')
    .execute();
  return { delivery, attempts, event: event ?? { payload_expired_at: null, erased_at: null } };
}

export async function eventDeliveries(db: Db, workspaceId: string, eventId: string): Promise<Delivery[]> {
  return db.selectFrom('deliveries').selectAll().where('workspace_id', '=', workspaceId).where('event_id', '=', eventId).orderBy('id').execute();
}

export async function deliveryLastError(db: Db, workspaceId: string, id: string): Promise<string | null> {
  const row = await db.selectFrom('deliveries').select(['last_error']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row?.last_error ?? null;
}

/** Deliveries joined to what a restart needs from their destination (and what decides whether one may restart). */
function restartableDeliveries(db: Db, workspaceId: string | undefined) {
  const query = db
    .selectFrom('deliveries as dl')
    .innerJoin('destinations as d', 'd.id', 'dl.destination_id')
    // The subject, for the restarted workflow's search attribute (its keyed hash: how an erasure finds it).
    .innerJoin('events as e', 'e.id', 'dl.event_id')
    .select([
      'e.subject',
      'dl.id',
      'dl.workspace_id',
      'dl.destination_id',
      'dl.event_id',
      'dl.event_type',
      'dl.status',
      'dl.workflow_id',
      'dl.is_test',
      'd.max_attempts',
      'd.timeout_seconds',
      'd.enabled',
      'd.auto_disabled_at',
      'd.deleted_at',
    ]);
  return workspaceId === undefined ? query : query.where('dl.workspace_id', '=', workspaceId);
}

export async function findRestartable(db: Db, workspaceId: string, deliveryId: string) {
  const row = await restartableDeliveries(db, workspaceId).where('dl.id', '=', deliveryId).executeTakeFirst();
  if (!row) throw new NotFoundError('Delivery');
  return row;
}

/**
 * The oldest failed (non-test) deliveries of a destination created since a time, after a key, and how many
 * remain past this batch. Rows stay `failed` until their workflow marks them again, so the key (not the
 * status) is what keeps a follow-up call from taking this batch twice.
 */
export async function failedSince(db: Db, workspaceId: string, query: { destinationId: string; since: string; after?: DeliveryKey; limit: number }) {
  let failed = restartableDeliveries(db, workspaceId)
    .where('dl.destination_id', '=', query.destinationId)
    .where('dl.status', '=', 'failed')
    .where('dl.is_test', '=', false)
    .where('dl.created_at', '>=', timestamptz(query.since));
  const after = query.after;
  if (after !== undefined) {
    failed = failed.where((eb) => eb(eb.refTuple('dl.created_at', 'dl.id'), '>', eb.tuple(timestamptz(after.createdAt), after.id)));
  }
  const rows = await failed
    .select(createdAtText('dl.created_at').as('cursor_created_at'))
    .orderBy('dl.created_at')
    .orderBy('dl.id')
    .limit(query.limit)
    .execute();
  const last = rows[rows.length - 1];
  let rest = failed;
  if (last !== undefined) {
    rest = rest.where((eb) => eb(eb.refTuple('dl.created_at', 'dl.id'), '>', eb.tuple(timestamptz(last.cursor_created_at), last.id)));
  }
  const { remaining } = await rest
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('remaining'))
    .executeTakeFirstOrThrow();
  const lastKey = last === undefined ? null : { createdAt: last.cursor_created_at, id: last.id };
  return { batch: rows.map(({ cursor_created_at: _key, ...row }) => row), remaining, lastKey };
}

/** How many deliveries a paused destination holds, and since when the oldest has waited. */
export async function heldDeliveries(db: Db, workspaceId: string, destinationId: string): Promise<{ count: number; oldest: Date | null }> {
  const { count, oldest } = await db
    .selectFrom('deliveries')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('created_at').as('oldest')])
    .where('workspace_id', '=', workspaceId)
    .where('destination_id', '=', destinationId)
    .where('status', '=', 'held')
    .executeTakeFirstOrThrow();
  return { count: Number(count), oldest: oldest === null ? null : new Date(oldest as Date | string) };
}

/** Tests check a destination; they are not its traffic. Skips were never meant to be sent. */
function countedDeliveries(db: Db, workspaceId: string, destinationId: string) {
  return db
    .selectFrom('deliveries as dl')
    .where('dl.workspace_id', '=', workspaceId)
    .where('dl.destination_id', '=', destinationId)
    .where('dl.is_test', '=', false)
    .where('dl.status', '!=', 'skipped');
}

/** Totals (all time and last 24 h) in one pass with FILTER aggregates, and the latest counted delivery. */
export async function destinationDeliveryStats(db: Db, workspaceId: string, destinationId: string) {
  const dayAgo = sql<Date>`now() - interval '24 hours'`;
  const [totals, last] = await Promise.all([
    countedDeliveries(db, workspaceId, destinationId)
      .select((eb) => [
        eb.fn.countAll<number>().as('deliveries'),
        eb.fn.countAll<number>().filterWhere('dl.status', '=', 'succeeded').as('succeeded'),
        eb.fn.countAll<number>().filterWhere('dl.status', '=', 'failed').as('failed'),
        eb.fn.countAll<number>().filterWhere('dl.created_at', '>=', dayAgo).as('deliveries_24h'),
        eb.fn
          .countAll<number>()
          .filterWhere((f) => f.and([f('dl.created_at', '>=', dayAgo), f('dl.status', '=', 'succeeded')]))
          .as('succeeded_24h'),
        eb.fn
          .countAll<number>()
          .filterWhere((f) => f.and([f('dl.created_at', '>=', dayAgo), f('dl.status', '=', 'failed')]))
          .as('failed_24h'),
      ])
      .executeTakeFirstOrThrow(),
    countedDeliveries(db, workspaceId, destinationId)
      .select(['dl.id', 'dl.status', 'dl.last_status_code', 'dl.last_error', 'dl.completed_at', 'dl.updated_at'])
      .orderBy('dl.created_at', 'desc')
      .orderBy('dl.id', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return { totals, last: last ?? null };
}

/**
 * The oldest deliveries waiting on a destination (held, or held and then discarded), up to `limit`. The workspace is
 * undefined only for wakes scheduled by health workflows started before activity inputs carried it.
 */
export async function waitingDeliveries(db: Db, workspaceId: string | undefined, destinationId: string, limit: number) {
  return restartableDeliveries(db, workspaceId)
    .where('dl.destination_id', '=', destinationId)
    .where('dl.status', 'in', ['held', 'cancelled'])
    .where('dl.completed_at', 'is', null)
    .orderBy('dl.created_at')
    .orderBy('dl.id')
    .limit(limit)
    .execute();
}

/** After their workflows were woken: held rows are pending again, discarded ones are finished. */
export async function markWoken(db: Db, workspaceId: string | undefined, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  let query = db
    .updateTable('deliveries')
    .set({
      status: sql`case when status = 'held' then 'pending' else status end`,
      completed_at: sql`case when status = 'cancelled' then ${now}::timestamptz else completed_at end`,
      updated_at: now,
    })
    .where('id', 'in', ids);
  if (workspaceId !== undefined) query = query.where('workspace_id', '=', workspaceId);
  await query.execute();
}
