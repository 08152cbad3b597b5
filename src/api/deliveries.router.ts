// Delivery history and manual retry: list deliveries, read one with its attempts, retry one by signal.
import type { ApiDeps } from './deps';
import { deliveryListQuery, listDeliveries } from './delivery-list';
import { assertRestartable, findRestartable, restartDelivery } from './delivery-restart';
import { deliverySchema, deliverySummarySchema, toAttempt, toDeliverySummary } from './delivery.schemas';
import { ApiError } from './errors';
import { z } from './openapi';
import { pageSchema } from './pagination';
import type { RouteTable } from './route';

const deliveryParams = z.object({ id: z.string().openapi({ example: 'dlv_5K2Q8N4M7R3T9W1X6Y0Z2A4B6C' }) });

const retryAcceptedSchema = z
  .object({
    delivery_id: z.string(),
    workflow_id: z.string().openapi({ description: 'The delivery workflow that received the retry signal (or was started by it).' }),
  })
  .openapi('DeliveryRetryAccepted');

export function registerDeliveryRoutes(routes: RouteTable, { db, temporal, config }: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/v1/deliveries',
    summary: 'List deliveries, newest first, by destination, event, status, event type, creation time or test flag',
    tag: 'Deliveries',
    access: 'workspace',
    query: deliveryListQuery,
    responses: { 200: { description: 'A page of deliveries', schema: pageSchema(deliverySummarySchema, 'DeliveryPage') } },
    handler: async ({ query, workspaceId }) => {
      const page = await listDeliveries(db, workspaceId, query);
      return { status: 200, body: { data: page.data.map(toDeliverySummary), next_cursor: page.next_cursor } };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/deliveries/:id',
    summary: 'Read a delivery with its attempts (status code, duration, response excerpt, error)',
    tag: 'Deliveries',
    access: 'workspace',
    params: deliveryParams,
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

  routes.add({
    method: 'post',
    path: '/v1/deliveries/:id/retry',
    summary:
      'Retry a failed delivery from attempt 1, or replay a succeeded one (same webhook-id); 202 once its workflow has the retry signal',
    tag: 'Deliveries',
    access: 'workspace',
    params: deliveryParams,
    responses: { 202: { description: 'Retry signalled', schema: retryAcceptedSchema } },
    errors: [409],
    handler: async ({ params, workspaceId }) => {
      const delivery = await findRestartable(db, workspaceId, params.id);
      assertRestartable(delivery);
      const { workflowId } = await restartDelivery(temporal, config, delivery);
      return { status: 202, body: { delivery_id: delivery.id, workflow_id: workflowId } };
    },
  });
}
