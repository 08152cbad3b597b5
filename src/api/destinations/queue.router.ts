// What delivery control is doing to one destination now: deliveries waiting for a turn, open requests, the receiver's push-back.
import { destinationQueue } from '../../store/delivery-control';
import { findDestination } from '../../store/destinations';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import type { RouteTable } from '../http/route';
import { destinationParams, destinationSchema, toDestinationJson } from './schemas';

const destinationQueueSchema = z
  .object({
    queued: z
      .number()
      .int()
      .openapi({ description: 'Deliveries waiting for their turn under the limit, the cap, the push-back or their ordered lane (status `queued`).' }),
    oldest_queued_at: z.date().nullable().openapi({ description: 'When the oldest of them was created.' }),
    open_requests: z.number().int().openapi({ description: 'Requests open now, counted for a destination with `max_concurrent_requests`.' }),
    rate_limit: destinationSchema.shape.rate_limit,
    max_concurrent_requests: destinationSchema.shape.max_concurrent_requests,
    ordering: destinationSchema.shape.ordering,
    coalesce_seconds: destinationSchema.shape.coalesce_seconds,
    throttle: destinationSchema.shape.throttle,
  })
  .openapi('DestinationQueue');

export function registerDestinationQueueRoutes(routes: RouteTable, { db }: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/v1/destinations/:id/queue',
    operationId: 'getDestinationQueue',
    summary: "A destination's delivery control now: deliveries queued behind its limits, open requests, and the receiver's push-back",
    tag: 'Destinations',
    access: 'workspace',
    portal: 'read',
    scopedBy: 'destination',
    params: destinationParams,
    responses: { 200: { description: 'The queue', schema: destinationQueueSchema } },
    handler: async ({ params, workspaceId }) => {
      const destination = await findDestination(db, workspaceId, params.id);
      const queue = await destinationQueue(db, workspaceId, destination.id);
      // The settings and the push-back exactly as the destination itself answers them.
      const shown = toDestinationJson(destination, []);
      return {
        status: 200,
        body: {
          queued: queue.queued,
          oldest_queued_at: queue.oldestQueuedAt,
          open_requests: queue.openRequests,
          rate_limit: shown.rate_limit,
          max_concurrent_requests: shown.max_concurrent_requests,
          ordering: shown.ordering,
          coalesce_seconds: shown.coalesce_seconds,
          throttle: shown.throttle,
        },
      };
    },
  });
}
