// Counts over every workspace for the operators' gauges: open deliveries, destinations by status, the worst failure streaks, the outbox.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { outboxDepth, type OutboxDepth } from './event-outbox';

export interface FleetSnapshot {
  openDeliveries: Partial<Record<'pending' | 'delivering' | 'held', number>>;
  destinations: Partial<Record<'active' | 'inactive' | 'auto_disabled', number>>;
  worstStreaks: { destinationId: string; workspaceId: string; consecutiveFailures: number }[];
  outbox: OutboxDepth;
}

export interface FleetGauges {
  read(topN: number): Promise<FleetSnapshot>;
}

/** Four small queries per scrape; the open-deliveries count uses the partial index of migration 0004, the outbox is small. */
/** `taskQueue`: the outbox counted is the one this deployment's relays serve. */
export function fleetGauges(db: Db, taskQueue: string): FleetGauges {
  return {
    async read(topN) {
      const [open, destinations, streaks, outbox] = await Promise.all([
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
      ]);
      return {
        openDeliveries: Object.fromEntries(open.map((row) => [row.status, Number(row.n)])),
        destinations: Object.fromEntries(destinations.map((row) => [row.status, Number(row.n)])),
        worstStreaks: streaks.map((row) => ({ destinationId: row.id, workspaceId: row.workspace_id, consecutiveFailures: row.consecutive_failures })),
        outbox,
      };
    },
  };
}
