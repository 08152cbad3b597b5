// A workspace's retention: how long event data and bodies are kept, then the records without them.
import { checkRetention } from '../../domain/retention';
import { readRetention, updateRetention } from '../../store/retention';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import type { RouteTable } from '../http/route';

const seconds = (what: string, example: number) =>
  z
    .number()
    .int()
    .positive()
    .openapi({ description: `${what}, in seconds.`, example });

export const retentionSchema = z
  .object({
    payload_retention_seconds: seconds(
      'How long event data, rendered requests and response excerpts are kept (default 30 days); then they are removed and the records marked `payload_expired`',
      2_592_000,
    ),
    record_retention_seconds: seconds(
      'How long the records (event, delivery and attempt ids, statuses, timings, status codes) are kept (default 90 days); then they are deleted',
      7_776_000,
    ),
  })
  .openapi('Retention');

const retentionUpdateSchema = retentionSchema.partial().strict().openapi('RetentionUpdate');

const toJson = (retention: { payloadSeconds: number; recordSeconds: number }) => ({
  payload_retention_seconds: retention.payloadSeconds,
  record_retention_seconds: retention.recordSeconds,
});

export function registerRetentionRoutes(routes: RouteTable, { db, config }: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/v1/retention',
    operationId: 'getRetention',
    summary: "The workspace's retention windows",
    tag: 'Data lifecycle',
    access: 'workspace',
    responses: { 200: { description: 'The windows', schema: retentionSchema } },
    handler: async ({ workspaceId }) => ({ status: 200, body: toJson(await readRetention(db, workspaceId)) }),
  });

  routes.add({
    method: 'patch',
    path: '/v1/retention',
    operationId: 'updateRetention',
    summary: 'Change how long event data and records are kept; the next purge run (every few minutes) applies it',
    tag: 'Data lifecycle',
    access: 'workspace',
    body: retentionUpdateSchema,
    responses: { 200: { description: 'The new windows', schema: retentionSchema } },
    errors: [422],
    handler: async ({ body, workspaceId }) => {
      const current = await readRetention(db, workspaceId);
      const wanted = checkRetention(
        {
          payloadSeconds: body.payload_retention_seconds ?? current.payloadSeconds,
          recordSeconds: body.record_retention_seconds ?? current.recordSeconds,
        },
        config.retention.minSeconds,
      );
      return { status: 200, body: toJson(await updateRetention(db, workspaceId, wanted)) };
    },
  });
}
