// Delivery history and manual retry: list deliveries, read one with its attempts, retry one by signal.
import { assertRestartable } from '../../domain/delivery';
import { assertDeliveryVisible, visibleEventTypes } from '../../domain/portal-scope';
import { restartDelivery } from '../../orchestration/delivery-signals';
import { parseDeliveryKey } from '../../store/delivery-keys';
import { payloadStateOf } from '../../domain/retention';
import { findRestartable, listDeliveries, readDeliveryWithAttempts } from '../../store/deliveries';
import type { ApiDeps } from '../http/deps';
import { decodeCursor, pageOf, pageSchema } from '../http/pagination';
import type { RouteTable } from '../http/route';
import { deliveryListQuery, deliveryParams, deliverySchema, deliverySummarySchema, retryAcceptedSchema, toAttempt, toDeliverySummary } from './schemas';

export function registerDeliveryRoutes(routes: RouteTable, { db, temporal, config }: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/v1/deliveries',
    operationId: 'listDeliveries',
    summary: 'List deliveries, newest first, by destination, event, status, event type, creation time or test flag',
    tag: 'Deliveries',
    access: 'workspace',
    portal: 'read',
    query: deliveryListQuery,
    responses: { 200: { description: 'A page of deliveries', schema: pageSchema(deliverySummarySchema, 'DeliveryPage') } },
    handler: async ({ query, workspaceId, scope }) => {
      const { cursor, limit, ...filters } = query;
      const narrowed = {
        ...(scope?.destinationIds ? { destination_ids: scope.destinationIds } : {}),
        ...(scope?.eventTypes ? { event_types: visibleEventTypes(scope)! } : {}),
      };
      const text = decodeCursor(cursor);
      const after = text === undefined ? undefined : parseDeliveryKey(text);
      const rows = await listDeliveries(db, workspaceId, { ...filters, ...narrowed, ...(after ? { after } : {}), limit: limit + 1 });
      const page = pageOf(rows, limit, (entry) => entry.key);
      return { status: 200, body: { data: page.data.map((entry) => toDeliverySummary(entry.row)), next_cursor: page.next_cursor } };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/deliveries/:id',
    operationId: 'getDelivery',
    summary: 'Read a delivery with its attempts (status code, duration, response excerpt, error)',
    tag: 'Deliveries',
    access: 'workspace',
    portal: 'read',
    params: deliveryParams,
    responses: { 200: { description: 'The delivery', schema: deliverySchema } },
    handler: async ({ params, workspaceId, scope }) => {
      const { delivery, attempts, event } = await readDeliveryWithAttempts(db, workspaceId, params.id);
      assertDeliveryVisible(scope, delivery);
      return { status: 200, body: { ...toDeliverySummary(delivery), payload: payloadStateOf(event), attempts: attempts.map(toAttempt) } };
    },
  });

  routes.add({
    method: 'post',
    path: '/v1/deliveries/:id/retry',
    operationId: 'retryDelivery',
    summary: 'Retry a failed delivery from attempt 1, or replay a succeeded one (same webhook-id); 202 once its workflow has the retry signal',
    tag: 'Deliveries',
    access: 'workspace',
    portal: 'write',
    params: deliveryParams,
    responses: { 202: { description: 'Retry signalled', schema: retryAcceptedSchema } },
    errors: [409],
    handler: async ({ params, workspaceId, scope }) => {
      const delivery = await findRestartable(db, workspaceId, params.id);
      assertDeliveryVisible(scope, delivery);
      assertRestartable(delivery);
      const workflowId = await restartDelivery(temporal, config, delivery);
      return { status: 202, body: { delivery_id: delivery.id, workflow_id: workflowId } };
    },
  });
}
