// The numbers a webhook table shows for one destination: totals, success rates, last delivery, failure streak.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { ApiDeps } from './deps';
import { deliveryStatusSchema } from './delivery.schemas';
import { destinationParams } from './destination.schemas';
import { findDestination } from './destination-store';
import { z } from './openapi';
import type { RouteTable } from './route';

const countsSchema = z.object({
  deliveries: z.number().int().openapi({ description: 'Every delivery except test sends and first_match skips.' }),
  succeeded: z.number().int(),
  failed: z.number().int(),
  success_rate: z.number().nullable().openapi({ description: 'succeeded / (succeeded + failed), 0–1; null when neither happened yet.' }),
});

const destinationStatsSchema = countsSchema
  .extend({
    last_24h: countsSchema.openapi({ description: 'The same counts for deliveries created in the last 24 hours.' }),
    last_delivery: z
      .object({
        id: z.string(),
        status: deliveryStatusSchema,
        status_code: z.number().int().nullable(),
        error: z.string().nullable(),
        at: z.date().openapi({ description: 'When it finished, or last changed if it has not.' }),
      })
      .nullable(),
    consecutive_failures: z.number().int().openapi({ description: 'Failed deliveries in a row (the health counter auto-disable acts on); a success or a re-enable resets it.' }),
  })
  .openapi('DestinationStats');

function counts(deliveries: number, succeeded: number, failed: number): z.infer<typeof countsSchema> {
  const decided = succeeded + failed;
  return { deliveries, succeeded, failed, success_rate: decided === 0 ? null : succeeded / decided };
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

/** One pass with FILTER aggregates. */
async function aggregate(db: Db, workspaceId: string, destinationId: string) {
  const dayAgo = sql<Date>`now() - interval '24 hours'`;
  return countedDeliveries(db, workspaceId, destinationId)
    .select((eb) => [
      eb.fn.countAll<number>().as('deliveries'),
      eb.fn.countAll<number>().filterWhere('dl.status', '=', 'succeeded').as('succeeded'),
      eb.fn.countAll<number>().filterWhere('dl.status', '=', 'failed').as('failed'),
      eb.fn.countAll<number>().filterWhere('dl.created_at', '>=', dayAgo).as('deliveries_24h'),
      eb.fn.countAll<number>().filterWhere((f) => f.and([f('dl.created_at', '>=', dayAgo), f('dl.status', '=', 'succeeded')])).as('succeeded_24h'),
      eb.fn.countAll<number>().filterWhere((f) => f.and([f('dl.created_at', '>=', dayAgo), f('dl.status', '=', 'failed')])).as('failed_24h'),
    ])
    .executeTakeFirstOrThrow();
}

async function lastDelivery(db: Db, workspaceId: string, destinationId: string) {
  const row = await countedDeliveries(db, workspaceId, destinationId)
    .select(['dl.id', 'dl.status', 'dl.last_status_code', 'dl.last_error', 'dl.completed_at', 'dl.updated_at'])
    .orderBy('dl.created_at', 'desc')
    .orderBy('dl.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return { id: row.id, status: row.status, status_code: row.last_status_code, error: row.last_error, at: row.completed_at ?? row.updated_at };
}

export function registerDestinationStatsRoutes(routes: RouteTable, { db }: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/v1/destinations/:id/stats',
    summary: 'Delivery statistics of a destination: totals and success rate (all time and last 24 h), last delivery, failure streak',
    tag: 'Destinations',
    access: 'workspace',
    params: destinationParams,
    responses: { 200: { description: 'The statistics', schema: destinationStatsSchema } },
    handler: async ({ params, workspaceId }) => {
      const destination = await findDestination(db, workspaceId, params.id);
      const [totals, last] = await Promise.all([aggregate(db, workspaceId, destination.id), lastDelivery(db, workspaceId, destination.id)]);
      return {
        status: 200,
        body: {
          ...counts(totals.deliveries, totals.succeeded, totals.failed),
          last_24h: counts(totals.deliveries_24h, totals.succeeded_24h, totals.failed_24h),
          last_delivery: last,
          // The health counter: what auto-disable acts on (re-enabling starts it over).
          consecutive_failures: destination.consecutive_failures,
        },
      };
    },
  });
}
