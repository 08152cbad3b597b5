// One subject's data on request: erase it (a durable job with a status route) or export it.
import { newId } from '../../domain/ids';
import { payloadStateOf, subjectHash } from '../../domain/retention';
import { startErasure } from '../../orchestration/erasure';
import { eraseSubjectRows, findErasure, insertErasure, listErasures, runningErasure, subjectEvents } from '../../store/erasures';
import type { Erasure } from '../../db/schema';
import { toDeliverySummary, deliverySummarySchema, payloadStateSchema } from '../deliveries/schemas';
import { actorOf, requestIdOf } from '../http/actor';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import { decodeCursor, pageOf, pageSchema, paginationQuery } from '../http/pagination';
import type { RouteTable } from '../http/route';

const subjectField = z.string().min(1).max(256).openapi({ description: "The subject events were posted with (a contact's id).", example: 'contact_42' });

const eraseSchema = z.strictObject({ subject: subjectField }).openapi('EraseSubject');

export const erasureSchema = z
  .object({
    id: z.string().openapi({ example: 'era_01JBR4Y8K9W6Q2M3N4P5R6S7T8' }),
    status: z.enum(['running', 'completed', 'failed']).openapi({
      description: "`running`: the subject's data is already gone from PostgreSQL; its Temporal histories are being deleted. `completed`: both.",
    }),
    requested_by: z.string().openapi({ description: 'The API key (`api_key:<id>`) or portal session that asked.', example: 'api_key:key_01JBR4Y8K9' }),
    request_id: z.string().nullable(),
    events_erased: z.number().int(),
    deliveries_cancelled: z.number().int().openapi({ description: 'Deliveries not sent yet, now `erased`: they never will be.' }),
    workflows_deleted: z.number().int().openapi({ description: "Temporal workflow histories of the subject's events deleted so far." }),
    created_at: z.date(),
    completed_at: z.date().nullable(),
  })
  .openapi('Erasure');

const subjectEventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    data: z.unknown(),
    payload: payloadStateSchema,
    occurred_at: z.date(),
    received_at: z.date(),
    deliveries: z.array(deliverySummarySchema),
  })
  .openapi('SubjectEvent');

function toErasureJson(row: Erasure): z.input<typeof erasureSchema> {
  return {
    id: row.id,
    status: row.status,
    requested_by: row.requested_by,
    request_id: row.request_id,
    events_erased: row.events_erased,
    deliveries_cancelled: row.deliveries_cancelled,
    workflows_deleted: row.workflows_deleted,
    created_at: row.created_at,
    completed_at: row.completed_at,
  };
}

export function registerSubjectRoutes(routes: RouteTable, { db, config, temporal }: ApiDeps): void {
  routes.add({
    method: 'post',
    path: '/v1/subjects/erase',
    operationId: 'eraseSubject',
    summary: "Erase one subject's data: events, bodies and unsent deliveries at once, its Temporal histories by a durable job",
    tag: 'Data lifecycle',
    access: 'workspace',
    body: eraseSchema,
    responses: { 202: { description: 'Erased from PostgreSQL; the job deletes the Temporal histories (GET its status)', schema: erasureSchema } },
    errors: [503],
    handler: async ({ body, workspaceId, res }) => {
      const hash = subjectHash(config.encryptionKey, workspaceId, body.subject);
      // Idempotent: the rows are erased again (a no-op when nothing came since), the running job is joined.
      const counts = await eraseSubjectRows(db, workspaceId, body.subject, new Date());
      const running = await runningErasure(db, workspaceId, hash);
      const erasure =
        running ??
        (await insertErasure(db, {
          id: newId('era'),
          workspaceId,
          subjectHash: hash,
          requestedBy: await actorOf(db, workspaceId, res),
          requestId: requestIdOf(res),
          counts,
        }));
      // A 503 here leaves the job row running; the same request again starts it.
      await startErasure(temporal, config, { erasureId: erasure.id, workspaceId, subjectHash: hash });
      return { status: 202, body: toErasureJson(erasure) };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/erasures',
    operationId: 'listErasures',
    summary: "The workspace's erasures, newest first (who asked, when, how much; never the subject)",
    tag: 'Data lifecycle',
    access: 'workspace',
    query: paginationQuery,
    responses: { 200: { description: 'A page of erasures', schema: pageSchema(erasureSchema, 'ErasurePage') } },
    handler: async ({ query, workspaceId }) => {
      const after = decodeCursor(query.cursor);
      const rows = await listErasures(db, workspaceId, { ...(after !== undefined ? { after } : {}), limit: query.limit + 1 });
      const page = pageOf(rows, query.limit, (row) => row.id);
      return { status: 200, body: { data: page.data.map(toErasureJson), next_cursor: page.next_cursor } };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/erasures/:id',
    operationId: 'getErasure',
    summary: "An erasure's status",
    tag: 'Data lifecycle',
    access: 'workspace',
    params: z.object({ id: z.string() }),
    responses: { 200: { description: 'The erasure', schema: erasureSchema } },
    handler: async ({ params, workspaceId }) => ({ status: 200, body: toErasureJson(await findErasure(db, workspaceId, params.id)) }),
  });

  routes.add({
    method: 'get',
    path: '/v1/subjects/:subject/events',
    operationId: 'exportSubjectEvents',
    summary: 'Everything Hookline holds for one subject (an access request): its events, oldest first, with their deliveries',
    tag: 'Data lifecycle',
    access: 'workspace',
    params: z.object({ subject: subjectField }),
    query: paginationQuery,
    responses: { 200: { description: "A page of the subject's events", schema: pageSchema(subjectEventSchema, 'SubjectEventPage') } },
    handler: async ({ params, query, workspaceId }) => {
      const after = decodeCursor(query.cursor);
      const rows = await subjectEvents(db, workspaceId, params.subject, { ...(after !== undefined ? { after } : {}), limit: query.limit + 1 });
      const page = pageOf(rows, query.limit, (row) => row.id);
      return {
        status: 200,
        body: {
          data: page.data.map((event) => ({
            id: event.id,
            type: event.type,
            data: event.data,
            payload: payloadStateOf(event),
            occurred_at: event.occurred_at,
            received_at: event.received_at,
            deliveries: event.deliveries.map(toDeliverySummary),
          })),
          next_cursor: page.next_cursor,
        },
      };
    },
  });
}
