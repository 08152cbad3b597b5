// The operator's view of ingestion: how many accepted events wait in the outbox for their workflow, and for how long.
import { outboxDepth } from '../../store/event-outbox';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import type { RouteTable } from '../http/route';

const ingestionSchema = z
  .object({
    outbox: z.object({
      waiting: z.number().int().openapi({ description: 'Events accepted and not planned yet by their workflow (this deployment’s task queue).' }),
      oldest_age_seconds: z.number().openapi({ description: 'How long the oldest of them has waited; 0 when none waits.' }),
    }),
  })
  .openapi('Ingestion');

export function registerIngestionRoutes(routes: RouteTable, { db, config }: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/v1/ingestion',
    operationId: 'getIngestion',
    summary: 'The ingestion outbox: events accepted and waiting for their workflow (grows while Temporal is away)',
    tag: 'Workspaces',
    access: 'admin',
    responses: { 200: { description: 'The outbox now', schema: ingestionSchema } },
    handler: async () => {
      const depth = await outboxDepth(db, config.temporal.taskQueue);
      return { status: 200, body: { outbox: { waiting: depth.waiting, oldest_age_seconds: Math.round(depth.oldestAgeSeconds) } } };
    },
  });
}
