// A destination's subscription set as its own resource: read it, or replace it whole.
import type { ApiDeps } from './deps';
import { MAX_EVENT_TYPES, destinationParams, subscriptionsSchema } from './destination.schemas';
import { checkEventTypes } from './destination-rules';
import { findDestination, loadEventTypes, replaceSubscriptions } from './destination-store';
import { z } from './openapi';
import type { RouteTable } from './route';

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
    summary: 'The event types a destination is subscribed to (names and wildcards)',
    tag: 'Destinations',
    access: 'workspace',
    params: destinationParams,
    responses: { 200: { description: 'The subscription set, sorted', schema: subscriptionsSchema } },
    handler: async ({ params, workspaceId }) => {
      const row = await findDestination(db, workspaceId, params.id);
      const eventTypes = await loadEventTypes(db, workspaceId, [row.id]);
      return { status: 200, body: { event_types: eventTypes.get(row.id) ?? [] } };
    },
  });

  routes.add({
    method: 'put',
    path: '/v1/destinations/:id/subscriptions',
    summary: "Replace a destination's subscription set",
    tag: 'Destinations',
    access: 'workspace',
    params: destinationParams,
    body: putSubscriptionsSchema,
    responses: { 200: { description: 'The new subscription set, deduplicated and sorted', schema: subscriptionsSchema } },
    errors: [422],
    handler: async ({ params, body, workspaceId }) => {
      const eventTypes = checkEventTypes(body.event_types);
      await db.transaction().execute(async (trx) => {
        const row = await findDestination(trx, workspaceId, params.id, true);
        await replaceSubscriptions(trx, workspaceId, row.id, eventTypes);
        await trx.updateTable('destinations').set({ updated_at: new Date() }).where('id', '=', row.id).execute();
      });
      return { status: 200, body: { event_types: eventTypes } };
    },
  });
}
