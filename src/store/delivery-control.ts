// Delivery control in PostgreSQL: permits from a destination's pacing row (locked per decision), open-request leases, push-back, and queue figures.
import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { deliveryWorkflowId } from '../domain/workflow-ids';
import {
  afterPushback,
  decidePermit,
  observedRate,
  pacedLimit,
  INITIAL_PACING,
  pushbackEndsAt,
  pushbackReason,
  SEND_DURATION_WEIGHT,
  type DeliveryControl,
  type PacingState,
  type Permit,
  type Pushback,
} from '../domain/delivery-control';

/** The control columns of a destination row (the attempt's context carries them) as the domain's settings. */
export function controlOf(row: {
  rate_limit_requests: number | null;
  rate_limit_per_seconds: number | null;
  rate_limit_burst: number | null;
  max_concurrent_requests: number | null;
}): DeliveryControl {
  return {
    rateLimit:
      row.rate_limit_requests !== null && row.rate_limit_per_seconds !== null
        ? // Paced with headroom under the figure (domain/delivery-control.ts), so arrivals never count one too many.
          pacedLimit({ requests: row.rate_limit_requests, perSeconds: row.rate_limit_per_seconds, burst: row.rate_limit_burst ?? 0 })
        : null,
    maxConcurrent: row.max_concurrent_requests,
  };
}

export interface PermitRequest {
  workspaceId: string;
  destinationId: string;
  deliveryId: string;
  control: DeliveryControl;
  /** How long a lease lasts if its worker dies mid-request: the request's deadline and a margin. */
  leaseSeconds: number;
  wokenForTurn: boolean;
}

const ms = (date: Date | null) => (date === null ? null : date.getTime());

/** The destination's pacing row, created at its first use and locked for this transaction; times on the database's clock. */
async function lockPacing(trx: Transaction<Database>, workspaceId: string, destinationId: string): Promise<{ state: PacingState; nowMs: number }> {
  await trx
    .insertInto('destination_pacing')
    .values({ destination_id: destinationId, workspace_id: workspaceId })
    .onConflict((c) => c.doNothing())
    .execute();
  const row = await trx
    .selectFrom('destination_pacing')
    .selectAll()
    .select(sql<Date>`clock_timestamp()`.as('db_now'))
    .where('destination_id', '=', destinationId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return {
    nowMs: row.db_now.getTime(),
    state: {
      ...INITIAL_PACING,
      tatMs: row.tat.getTime(),
      queueEndMs: row.queue_end.getTime(),
      queueReason: row.queue_reason as PacingState['queueReason'],
      throttledUntilMs: ms(row.throttled_until),
      rateShare: row.rate_share,
      shareSinceMs: ms(row.share_since),
      adaptiveBaseRps: row.adaptive_base_rps,
      meanSendMs: row.mean_send_ms,
    },
  };
}

async function savePacing(trx: Transaction<Database>, destinationId: string, state: PacingState, nowMs: number): Promise<void> {
  const at = (value: number | null) => (value === null ? null : new Date(value));
  await trx
    .updateTable('destination_pacing')
    .set({
      tat: new Date(state.tatMs),
      queue_end: new Date(state.queueEndMs),
      queue_reason: state.queueReason,
      throttled_until: at(state.throttledUntilMs),
      rate_share: state.rateShare,
      share_since: at(state.shareSinceMs),
      adaptive_base_rps: state.adaptiveBaseRps,
      updated_at: new Date(nowMs),
    })
    .where('destination_id', '=', destinationId)
    .execute();
}

/**
 * One decision in one transaction: a granted request takes its token (and, under a cap, a lease); a refused one is
 * queued, its row saying why and when its turn is.
 */
export async function acquirePermit(db: Db, request: PermitRequest): Promise<Permit> {
  return db.transaction().execute(async (trx) => {
    const { state, nowMs } = await lockPacing(trx, request.workspaceId, request.destinationId);
    let openRequests = 0;
    if (request.control.maxConcurrent !== null) {
      await trx.deleteFrom('destination_leases').where('destination_id', '=', request.destinationId).where('expires_at', '<', new Date(nowMs)).execute();
      const open = await trx
        .selectFrom('destination_leases')
        .select(sql<number>`count(*)`.as('n'))
        .where('destination_id', '=', request.destinationId)
        .where('delivery_id', '!=', request.deliveryId)
        .executeTakeFirstOrThrow();
      openRequests = Number(open.n);
    }
    const permit = decidePermit(request.control, state, {
      nowMs,
      openRequests,
      wokenForTurn: request.wokenForTurn,
    });
    await savePacing(trx, request.destinationId, permit.state, nowMs);
    if (permit.granted && request.control.maxConcurrent !== null) {
      const expires = new Date(nowMs + request.leaseSeconds * 1000);
      await trx
        .insertInto('destination_leases')
        .values({ destination_id: request.destinationId, delivery_id: request.deliveryId, workspace_id: request.workspaceId, expires_at: expires })
        .onConflict((c) => c.columns(['destination_id', 'delivery_id']).doUpdateSet({ expires_at: expires }))
        .execute();
    }
    if (!permit.granted) {
      await trx
        .updateTable('deliveries')
        // A queued delivery is always in a workflow of its own (the event workflow hands it over): the row names it.
        .set({
          status: 'queued',
          queue_reason: permit.reason,
          next_attempt_at: new Date(permit.turnAtMs),
          updated_at: new Date(nowMs),
          workflow_id: deliveryWorkflowId(request.deliveryId),
        })
        .where('id', '=', request.deliveryId)
        .where('workspace_id', '=', request.workspaceId)
        .where('status', 'in', ['pending', 'delivering', 'queued', 'held'])
        .execute();
    }
    return permit;
  });
}

/** The request is over: its lease goes, and its duration spaces the turns of those waiting for a slot. */
export async function releasePermit(db: Db, release: { destinationId: string; deliveryId: string; durationMs: number }): Promise<void> {
  await sql`
    WITH released AS (
      DELETE FROM destination_leases WHERE destination_id = ${release.destinationId} AND delivery_id = ${release.deliveryId}
    )
    UPDATE destination_pacing SET mean_send_ms = mean_send_ms + ${SEND_DURATION_WEIGHT}::float8 * (${Math.max(1, release.durationMs)}::float8 - mean_send_ms)
     WHERE destination_id = ${release.destinationId}`.execute(db);
}

/**
 * The receiver pushed back: every pending delivery of the destination waits (Retry-After) or goes at a halved rate.
 * The destination row learns until when, so attempts of a destination without limits ask for permits only meanwhile.
 */
export async function notePushback(
  db: Db,
  target: { workspaceId: string; destinationId: string; control: DeliveryControl },
  pushback: Pushback,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { state, nowMs } = await lockPacing(trx, target.workspaceId, target.destinationId);
    // Only a destination without a limit of its own needs to know what it was being sent: deliveries made in the last 5 s.
    const needsObserved = target.control.rateLimit === null && pushback.retryAfterMs === null;
    const observedRps = needsObserved ? await recentRate(trx, target.destinationId, nowMs) : null;
    const next = afterPushback(target.control, state, pushback, nowMs, observedRps);
    await savePacing(trx, target.destinationId, next, nowMs);
    const ends = pushbackEndsAt(next);
    await trx
      .updateTable('destinations')
      .set({ throttled_until: ends === null ? null : new Date(ends), throttle_reason: pushbackReason(pushback) })
      .where('id', '=', target.destinationId)
      .where('workspace_id', '=', target.workspaceId)
      .execute();
  });
}

const OBSERVED_WINDOW_MS = 5_000;

async function recentRate(trx: Transaction<Database>, destinationId: string, nowMs: number): Promise<number> {
  const row = await trx
    .selectFrom('deliveries')
    .select([sql<number>`count(*)`.as('n'), sql<Date | null>`min(created_at)`.as('oldest')])
    .where('destination_id', '=', destinationId)
    .where('created_at', '>', new Date(nowMs - OBSERVED_WINDOW_MS))
    .executeTakeFirstOrThrow();
  return observedRate({ count: Number(row.n), oldestMs: row.oldest === null ? null : new Date(row.oldest).getTime() }, nowMs);
}

export interface DestinationQueue {
  queued: number;
  oldestQueuedAt: Date | null;
  openRequests: number;
}

/** What the destination page shows: how many deliveries wait for a turn, since when, and how many requests are open. */
export async function destinationQueue(db: Db, workspaceId: string, destinationId: string): Promise<DestinationQueue> {
  const [queue, leases] = await Promise.all([
    db
      .selectFrom('deliveries')
      .select([sql<number>`count(*)`.as('n'), sql<Date | null>`min(created_at)`.as('oldest')])
      .where('destination_id', '=', destinationId)
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'queued')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('destination_leases')
      .select(sql<number>`count(*)`.as('n'))
      .where('destination_id', '=', destinationId)
      .where('workspace_id', '=', workspaceId)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirstOrThrow(),
  ]);
  return { queued: Number(queue.n), oldestQueuedAt: queue.oldest, openRequests: Number(leases.n) };
}

/** The longest queues over every workspace, for the operators' top-N gauges. */
export async function longestQueues(db: Db, topN: number): Promise<{ destinationId: string; workspaceId: string; queued: number; oldestQueuedAt: Date }[]> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['destination_id', 'workspace_id', sql<number>`count(*)`.as('n'), sql<Date>`min(created_at)`.as('oldest')])
    .where('status', '=', 'queued')
    .groupBy(['destination_id', 'workspace_id'])
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('destination_id')
    .limit(topN)
    .execute();
  return rows.map((row) => ({ destinationId: row.destination_id, workspaceId: row.workspace_id, queued: Number(row.n), oldestQueuedAt: row.oldest }));
}

/** Destinations whose receiver pushed back and whose push-back still lasts, longest first, for the operators' gauges. */
export async function throttledDestinations(db: Db, topN: number): Promise<{ destinationId: string; workspaceId: string; until: Date }[]> {
  const rows = await db
    .selectFrom('destination_pacing as p')
    .innerJoin('destinations as d', 'd.id', 'p.destination_id')
    .select(['d.id', 'd.workspace_id', 'd.throttled_until'])
    .where('d.throttled_until', '>', sql<Date>`now()`)
    .where('d.deleted_at', 'is', null)
    .orderBy('d.throttled_until', 'desc')
    .limit(topN)
    .execute();
  return rows.map((row) => ({ destinationId: row.id, workspaceId: row.workspace_id, until: row.throttled_until! }));
}
