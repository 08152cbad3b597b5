// Delivery history: read one delivery with every attempt it made.
import type { ApiDeps } from './deps';
import { deliverySchema, toAttempt, toDeliverySummary } from './delivery.schemas';
import { ApiError } from './errors';
import { z } from './openapi';
import type { RouteTable } from './route';

export function registerDeliveryRoutes(routes: RouteTable, { db }: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/v1/deliveries/:id',
    summary: 'Read a delivery with its attempts (status code, duration, response excerpt, error)',
    tag: 'Deliveries',
    access: 'workspace',
    params: z.object({ id: z.string() }),
    responses: { 200: { description: 'The delivery', schema: deliverySchema } },
    handler: async ({ params, workspaceId }) => {
      const delivery = await db
        .selectFrom('deliveries')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (!delivery) throw ApiError.notFound('Delivery');
      const attempts = await db
        .selectFrom('attempts')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('delivery_id', '=', delivery.id)
        .orderBy('attempt_number')
        .execute();
      return { status: 200, body: { ...toDeliverySummary(delivery), attempts: attempts.map(toAttempt) } };
    },
  });
}
