// Deliveries waiting on a paused destination: counting them and discarding them.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/**
 * Marks held deliveries cancelled but leaves completed_at empty: their workflows are still waiting, and
 * the health workflow wakes exactly those rows so each ends itself (and sets completed_at) as cancelled.
 */
export async function cancelHeldDeliveries(db: Kysely<Database>, workspaceId: string, destinationId: string, reason: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('deliveries')
    .set({ status: 'cancelled', last_error: reason, next_attempt_at: null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('destination_id', '=', destinationId)
    .where('status', '=', 'held')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function countHeldDeliveries(db: Kysely<Database>, workspaceId: string, destinationId: string): Promise<number> {
  const { count } = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('destination_id', '=', destinationId)
    .where('status', '=', 'held')
    .executeTakeFirstOrThrow();
  return count;
}
