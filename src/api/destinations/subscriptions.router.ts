// A destination's subscription set as its own resource: read it, or replace it whole.
import { checkEventTypes } from '../../domain/destination-settings';
import { assertSubscriptionsAllowed } from '../../domain/portal-scope';
import { putSubscriptions, readDestination } from '../../store/destinations';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import type { RouteTable } from '../http/route';
import { MAX_EVENT_TYPES, destinationParams, subscriptionsSchema } from './schemas';

const putSubscriptionsSchema = z
  .strictObject({
    event_types: z
      .array(z.string().min(1).max(200))
      .max(MAX_EVENT_TYPES)
      .openapi({ description: 'Exact names or wildcards (`contact.*`, `*`); replaces the current set. Empty unsubscribes from everything.' }),
  })
  .openapi('PutSubscriptions');

export function registerSubscriptionRoutes(routes: RouteTable, { db }: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/v1/destinations/:id/subscriptions',
    operationId: 'getSubscriptions',
    summary: 'The event types a destination is subscribed to (names and wildcards)',
    tag: 'Destinations',
    access: 'workspace',
    portal: 'read',
    scopedBy: 'destination',
    params: destinationParams,
    responses: { 200: { description: 'The subscription set, sorted', schema: subscriptionsSchema } },
    handler: async ({ params, workspaceId }) => {
      const { eventTypes } = await readDestination(db, workspaceId, params.id);
      return { status: 200, body: { event_types: eventTypes } };
    },
  });

  routes.add({
    method: 'put',
    path: '/v1/destinations/:id/subscriptions',
    operationId: 'replaceSubscriptions',
    summary: "Replace a destination's subscription set",
    tag: 'Destinations',
    access: 'workspace',
    portal: 'write',
    scopedBy: 'destination',
    params: destinationParams,
    body: putSubscriptionsSchema,
    responses: { 200: { description: 'The new subscription set, deduplicated and sorted', schema: subscriptionsSchema } },
    errors: [422],
    handler: async ({ params, body, workspaceId, scope }) => {
      const eventTypes = checkEventTypes(body.event_types);
      assertSubscriptionsAllowed(scope, eventTypes);
      await putSubscriptions(db, workspaceId, params.id, eventTypes);
      return { status: 200, body: { event_types: eventTypes } };
    },
  });
}
