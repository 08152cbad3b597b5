// Recovery after an outage: retry every failed delivery of a destination since a time, in bounded batches.
import type { ApiDeps } from './deps';
import { createdAtText, decodeDeliveryKey, deliveryCursor, timestamptz } from './delivery-list';
import { assertRestartable, restartableDeliveries, restartDelivery, type RestartableDelivery } from './delivery-restart';
import { destinationParams } from './destination.schemas';
import { findDestination } from './destination-store';
import { ApiError } from './errors';
import { z } from './openapi';
import type { RouteTable } from './route';

export const MAX_RETRY_BATCH = 1_000;
// Signals go out a few at a time: fast enough for a full batch, gentle on the Temporal frontend.
const CONCURRENT_RESTARTS = 16;

const retryFailedQuery = z.object({
  since: z.iso.datetime({ offset: true }).openapi({ description: 'Retry failed deliveries created at or after this time.' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_RETRY_BATCH)
    .default(MAX_RETRY_BATCH)
    .openapi({ description: `Deliveries to retry in this call, 1–${MAX_RETRY_BATCH} (default ${MAX_RETRY_BATCH}).` }),
  cursor: z.string().max(1024).optional().openapi({ description: 'The `next_cursor` of the previous call, to continue after its batch.' }),
});

const retryFailedSchema = z
  .object({
    retried: z.number().int().openapi({ description: 'Deliveries signalled (or restarted) by this call.' }),
    remaining: z.number().int().openapi({ description: 'Failed deliveries after this batch still to retry.' }),
    next_cursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` (with the same `since`) to retry the next batch; null when none remain.' }),
  })
  .openapi('RetryFailedResult');

async function restartAll(rows: RestartableDelivery[], restart: (row: RestartableDelivery) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += CONCURRENT_RESTARTS) {
    await Promise.all(rows.slice(start, start + CONCURRENT_RESTARTS).map(restart));
  }
}

export function registerDestinationRecoveryRoutes(routes: RouteTable, { db, temporal, config }: ApiDeps): void {
  routes.add({
    method: 'post',
    path: '/v1/destinations/:id/retry-failed',
    summary: 'Retry every failed (non-test) delivery of a destination created since a time, oldest first, up to 1000 per call',
    tag: 'Deliveries',
    access: 'workspace',
    params: destinationParams,
    query: retryFailedQuery,
    responses: { 202: { description: 'Retries signalled: how many, and how many remain', schema: retryFailedSchema } },
    errors: [409],
    handler: async ({ params, query, workspaceId }) => {
      const destination = await findDestination(db, workspaceId, params.id);
      if (!destination.enabled || destination.auto_disabled_at !== null) {
        throw new ApiError(409, 'destination_paused', `Destination ${destination.id} is paused; re-enable it before retrying its deliveries`);
      }
      const after = decodeDeliveryKey(query.cursor);
      /*
       * Rows stay `failed` until their workflow marks them again, so the cursor (not the status) is what
       * keeps a follow-up call from signalling this batch twice. Signalling twice would still be harmless.
       */
      let failed = restartableDeliveries(db, workspaceId)
        .where('dl.destination_id', '=', destination.id)
        .where('dl.status', '=', 'failed')
        .where('dl.is_test', '=', false)
        .where('dl.created_at', '>=', timestamptz(query.since));
      if (after !== undefined) {
        failed = failed.where((eb) => eb(eb.refTuple('dl.created_at', 'dl.id'), '>', eb.tuple(timestamptz(after.createdAt), after.id)));
      }
      const batch = await failed
        .select(createdAtText('dl.created_at').as('cursor_created_at'))
        .orderBy('dl.created_at')
        .orderBy('dl.id')
        .limit(query.limit)
        .execute();
      const last = batch[batch.length - 1];
      let rest = failed;
      if (last !== undefined) {
        rest = rest.where((eb) => eb(eb.refTuple('dl.created_at', 'dl.id'), '>', eb.tuple(timestamptz(last.cursor_created_at), last.id)));
      }
      const { remaining } = await rest
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('remaining'))
        .executeTakeFirstOrThrow();

      await restartAll(batch, (row) => {
        assertRestartable(row);
        return restartDelivery(temporal, config, row);
      });
      const nextCursor = remaining > 0 && last !== undefined ? deliveryCursor({ createdAt: last.cursor_created_at, id: last.id }) : null;
      return { status: 202, body: { retried: batch.length, remaining, next_cursor: nextCursor } };
    },
  });
}
