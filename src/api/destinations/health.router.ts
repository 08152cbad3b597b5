// Endpoint health: what the health workflow sees of a destination, and discarding what it holds.
import { DESTINATION_STATUSES, destinationStatus } from '../../domain/destination';
import { notifyHealthChange } from '../../orchestration/health-signals';
import { heldDeliveries } from '../../store/deliveries';
import { cancelHeldDeliveries, findDestination } from '../../store/destinations';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import type { RouteTable } from '../http/route';
import { destinationParams } from './schemas';

const healthSchema = z
  .object({
    status: z.enum(DESTINATION_STATUSES),
    consecutive_failures: z.number().int().openapi({ description: 'Failed deliveries in a row; a success resets it.' }),
    disabled_at: z.string().nullable().openapi({ description: 'When the health workflow paused the destination.' }),
    reason: z.string().nullable(),
    held_count: z.number().int().openapi({ description: 'Deliveries waiting for the destination to be re-enabled.' }),
    held_oldest_at: z.string().nullable().openapi({ description: 'When the oldest held delivery was created.' }),
  })
  .openapi('DestinationHealth');

export function registerDestinationHealthRoutes(routes: RouteTable, { db, temporal, config }: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/v1/destinations/:id/health',
    operationId: 'getDestinationHealth',
    summary: "A destination's health: status, consecutive failures, why and when it was paused, deliveries held",
    tag: 'Destinations',
    access: 'workspace',
    portal: 'read',
    scopedBy: 'destination',
    params: destinationParams,
    responses: { 200: { description: 'Health', schema: healthSchema } },
    handler: async ({ params: { id }, workspaceId }) => {
      const row = await findDestination(db, workspaceId, id);
      const held = await heldDeliveries(db, workspaceId, row.id);
      return {
        status: 200,
        body: {
          status: destinationStatus(row),
          consecutive_failures: row.consecutive_failures,
          disabled_at: row.auto_disabled_at?.toISOString() ?? null,
          reason: row.auto_disabled_reason,
          held_count: held.count,
          held_oldest_at: held.oldest?.toISOString() ?? null,
        },
      };
    },
  });

  routes.add({
    method: 'post',
    path: '/v1/destinations/:id/held/discard',
    operationId: 'discardHeldDeliveries',
    summary: 'Cancel every delivery held for a paused destination instead of releasing them',
    tag: 'Destinations',
    access: 'workspace',
    portal: 'write',
    scopedBy: 'destination',
    params: destinationParams,
    responses: { 200: { description: 'How many were discarded', schema: z.object({ discarded: z.number().int() }) } },
    handler: async ({ params: { id }, workspaceId }) => {
      const row = await findDestination(db, workspaceId, id);
      const discarded = await cancelHeldDeliveries(db, workspaceId, row.id, 'discarded while held', new Date());
      if (discarded > 0) await notifyHealthChange(temporal, config.temporal.taskQueue, { destinationId: row.id, workspaceId }, 'discard_held');
      return { status: 200, body: { discarded } };
    },
  });
}
