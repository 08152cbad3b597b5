// Counts over every workspace for the operators' gauges: open deliveries, destinations by status, the worst failure streaks, the outbox, delivery control's queues, expiring client certificates.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { outboxDepth, type OutboxDepth } from './event-outbox';
import { longestQueues, throttledDestinations } from './delivery-control';
import { oldestRows } from './retention';

export interface FleetSnapshot {
  openDeliveries: Partial<Record<'pending' | 'delivering' | 'held', number>>;
  destinations: Partial<Record<'active' | 'inactive' | 'auto_disabled', number>>;
  worstStreaks: { destinationId: string; workspaceId: string; consecutiveFailures: number }[];
  outbox: OutboxDepth;
  /** The longest queues behind delivery control (top N), and the destinations pushed back now (top N by how long). */
  longestQueues: { destinationId: string; workspaceId: string; queued: number; oldestQueuedAt: Date }[];
  throttled: { destinationId: string; workspaceId: string; until: Date }[];
  /** The client certificates (mutual TLS) that expire soonest (top N). */
  certificates: { destinationId: string; workspaceId: string; expiresAt: Date }[];
  /** The oldest row of each big table (null: empty), which retention bounds. */
  oldest: { events: Date | null; deliveries: Date | null };
}

export interface FleetGauges {
  read(topN: number): Promise<FleetSnapshot>;
}

/** Eight small queries per scrape (the queue and push-back ones on partial or tiny sets); the open-deliveries count uses the partial index of migration 0004, the outbox is small. */
/** `taskQueue`: the outbox counted is the one this deployment's relays serve. */
export function fleetGauges(db: Db, taskQueue: string): FleetGauges {
  return {
    async read(topN) {
      const [open, destinations, streaks, outbox, queues, throttled, certificates, oldest] = await Promise.all([
        db
          .selectFrom('deliveries')
          .select(['status', sql<string>`count(*)`.as('n')])
          .where('status', 'in', ['pending', 'delivering', 'held'])
          .groupBy('status')
          .execute(),
        db
          .selectFrom('destinations')
          // The same rule as destinationStatus(): a person's switch wins over the health workflow's.
          .select([
            sql<string>`CASE WHEN NOT enabled THEN 'inactive' WHEN auto_disabled_at IS NOT NULL THEN 'auto_disabled' ELSE 'active' END`.as('status'),
            sql<string>`count(*)`.as('n'),
          ])
          .where('deleted_at', 'is', null)
          .groupBy(sql`1`)
          .execute(),
        db
          .selectFrom('destinations')
          .select(['id', 'workspace_id', 'consecutive_failures'])
          .where('deleted_at', 'is', null)
          .where('consecutive_failures', '>', 0)
          .orderBy('consecutive_failures', 'desc')
          .orderBy('id')
          .limit(topN)
          .execute(),
        outboxDepth(db, taskQueue),
        longestQueues(db, topN),
        throttledDestinations(db, topN),
        // Few destinations present a certificate; the destinations table is small next to deliveries.
        db
          .selectFrom('destinations')
          .select(['id', 'workspace_id', 'client_certificate_expires_at'])
          .where('deleted_at', 'is', null)
          .where('client_certificate_expires_at', 'is not', null)
          .orderBy('client_certificate_expires_at')
          .orderBy('id')
          .limit(topN)
          .execute(),
        oldestRows(db),
      ]);
      return {
        openDeliveries: Object.fromEntries(open.map((row) => [row.status, Number(row.n)])),
        destinations: Object.fromEntries(destinations.map((row) => [row.status, Number(row.n)])),
        worstStreaks: streaks.map((row) => ({ destinationId: row.id, workspaceId: row.workspace_id, consecutiveFailures: row.consecutive_failures })),
        outbox,
        longestQueues: queues,
        throttled,
        oldest,
        certificates: certificates.map((row) => ({ destinationId: row.id, workspaceId: row.workspace_id, expiresAt: row.client_certificate_expires_at! })),
      };
    },
  };
}
