// Recovery after an outage: retry every failed delivery of a destination since a time, in bounded batches.
import { assertRestartable } from '../../domain/delivery';
import { isPaused } from '../../domain/destination';
import { ConflictError } from '../../domain/errors';
import { restartDelivery } from '../../orchestration/delivery-signals';
import { formatDeliveryKey, parseDeliveryKey } from '../../store/delivery-keys';
import { failedSince } from '../../store/deliveries';
import { findDestination } from '../../store/destinations';
import type { ApiDeps } from '../http/deps';
import { isoInstant } from '../http/fields';
import { z } from '../http/openapi';
import { decodeCursor, encodeCursor } from '../http/pagination';
import type { RouteTable } from '../http/route';
import { destinationParams } from './schemas';

export const MAX_RETRY_BATCH = 1_000;
// Signals go out a few at a time: fast enough for a full batch, gentle on the Temporal frontend.
const CONCURRENT_RESTARTS = 16;

const retryFailedQuery = z.object({
  since: isoInstant().openapi({ description: 'Retry failed deliveries created at or after this time.' }),
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
    next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` (with the same `since`) to retry the next batch; null when none remain.' }),
  })
  .openapi('RetryFailedResult');

/** A few at a time, in order: a fixed window of promises is all the bounding this needs, so no pool library. */
async function inWindows<T>(items: T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(run));
}

export function registerDestinationRecoveryRoutes(routes: RouteTable, { db, temporal, config }: ApiDeps): void {
  routes.add({
    method: 'post',
    path: '/v1/destinations/:id/retry-failed',
    operationId: 'retryFailedDeliveries',
    summary: 'Retry every failed (non-test) delivery of a destination created since a time, oldest first, up to 1000 per call',
    tag: 'Deliveries',
    access: 'workspace',
    portal: 'write',
    scopedBy: 'destination',
    params: destinationParams,
    query: retryFailedQuery,
    responses: { 202: { description: 'Retries signalled: how many, and how many remain', schema: retryFailedSchema } },
    errors: [409],
    handler: async ({ params, query, workspaceId }) => {
      const destination = await findDestination(db, workspaceId, params.id);
      if (isPaused(destination)) {
        throw new ConflictError('destination_paused', `Destination ${destination.id} is paused; re-enable it before retrying its deliveries`);
      }
      const text = decodeCursor(query.cursor);
      const after = text === undefined ? undefined : parseDeliveryKey(text);
      const { batch, remaining, lastKey } = await failedSince(db, workspaceId, {
        destinationId: destination.id,
        since: query.since,
        ...(after ? { after } : {}),
        limit: query.limit,
      });
      // Signalling a row twice (a repeated call) would still be harmless: the workflow runs its schedule again.
      await inWindows(batch, CONCURRENT_RESTARTS, (row) => {
        assertRestartable(row);
        return restartDelivery(temporal, config, row);
      });
      const nextCursor = remaining > 0 && lastKey !== null ? encodeCursor(formatDeliveryKey(lastKey)) : null;
      return { status: 202, body: { retried: batch.length, remaining, next_cursor: nextCursor } };
    },
  });
}
