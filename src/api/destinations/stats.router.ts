// The numbers a webhook table shows for one destination: totals, success rates, last delivery, failure streak.
import { destinationDeliveryStats } from '../../store/deliveries';
import { findDestination } from '../../store/destinations';
import { deliveryStatusSchema } from '../deliveries/schemas';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import type { RouteTable } from '../http/route';
import { destinationParams } from './schemas';

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
    consecutive_failures: z
      .number()
      .int()
      .openapi({ description: 'Failed deliveries in a row (the health counter auto-disable acts on); a success or a re-enable resets it.' }),
  })
  .openapi('DestinationStats');

function counts(deliveries: number, succeeded: number, failed: number): z.infer<typeof countsSchema> {
  const decided = succeeded + failed;
  return { deliveries, succeeded, failed, success_rate: decided === 0 ? null : succeeded / decided };
}

export function registerDestinationStatsRoutes(routes: RouteTable, { db }: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/v1/destinations/:id/stats',
    operationId: 'getDestinationStats',
    summary: 'Delivery statistics of a destination: totals and success rate (all time and last 24 h), last delivery, failure streak',
    tag: 'Destinations',
    access: 'workspace',
    portal: 'read',
    scopedBy: 'destination',
    params: destinationParams,
    responses: { 200: { description: 'The statistics', schema: destinationStatsSchema } },
    handler: async ({ params, workspaceId }) => {
      const destination = await findDestination(db, workspaceId, params.id);
      const { totals, last } = await destinationDeliveryStats(db, workspaceId, destination.id);
      return {
        status: 200,
        body: {
          ...counts(totals.deliveries, totals.succeeded, totals.failed),
          last_24h: counts(totals.deliveries_24h, totals.succeeded_24h, totals.failed_24h),
          last_delivery: last && {
            id: last.id,
            status: last.status,
            status_code: last.last_status_code,
            error: last.last_error,
            at: last.completed_at ?? last.updated_at,
          },
          // The health counter: what auto-disable acts on (re-enabling starts it over).
          consecutive_failures: destination.consecutive_failures,
        },
      };
    },
  });
}
