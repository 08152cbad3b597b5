// The workspace's event catalog: register (upsert), list and read event types with their schema and example.
import { RuleViolationError } from '../../domain/errors';
import { isValidEventTypeName } from '../../domain/event-match';
import { checkSchemaAndExample } from '../../domain/json-schema';
import { assertEventTypeVisible, visibleEventTypes } from '../../domain/portal-scope';
import { listEventTypes, readEventType, upsertEventType } from '../../store/event-types';
import type { ApiDeps } from '../http/deps';
import { decodeCursor, pageOf, pageSchema, paginationQuery } from '../http/pagination';
import type { RouteTable } from '../http/route';
import { eventTypeSchema, nameParams, putEventTypeSchema, toEventTypeJson } from './schemas';

export function registerEventTypeRoutes(routes: RouteTable, { db }: ApiDeps): void {
  routes.add({
    method: 'put',
    path: '/v1/event-types/:name',
    operationId: 'putEventType',
    summary: 'Register or replace an event type (dotted lowercase name) with its description, JSON Schema and example',
    tag: 'Event types',
    access: 'workspace',
    params: nameParams,
    body: putEventTypeSchema,
    responses: {
      200: { description: 'Replaced', schema: eventTypeSchema },
      201: { description: 'Registered', schema: eventTypeSchema },
    },
    errors: [422],
    handler: async ({ params, body, workspaceId }) => {
      if (!isValidEventTypeName(params.name)) {
        throw new RuleViolationError('invalid_event_type', `"${params.name}" is not an event type name: use dotted lowercase words such as contact.created`, [
          { path: 'params.name', message: 'not a dotted lowercase name' },
        ]);
      }
      checkSchemaAndExample(body.schema, body.example);
      const row = await upsertEventType(db, workspaceId, params.name, { description: body.description, schema: body.schema, example: body.example });
      return { status: row.inserted ? 201 : 200, body: toEventTypeJson(row) };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/event-types',
    operationId: 'listEventTypes',
    summary: "List the workspace's event types, by name",
    tag: 'Event types',
    access: 'workspace',
    portal: 'read',
    query: paginationQuery,
    responses: { 200: { description: 'A page of event types', schema: pageSchema(eventTypeSchema, 'EventTypePage') } },
    handler: async ({ query, workspaceId, scope }) => {
      const after = decodeCursor(query.cursor);
      const names = scope?.eventTypes ? { names: visibleEventTypes(scope)! } : {};
      const rows = await listEventTypes(db, workspaceId, { ...(after !== undefined ? { after } : {}), ...names, limit: query.limit + 1 });
      const page = pageOf(rows, query.limit, (row) => row.name);
      return { status: 200, body: { data: page.data.map(toEventTypeJson), next_cursor: page.next_cursor } };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/event-types/:name',
    operationId: 'getEventType',
    summary: 'Read one event type',
    tag: 'Event types',
    access: 'workspace',
    portal: 'read',
    params: nameParams,
    responses: { 200: { description: 'The event type', schema: eventTypeSchema } },
    handler: async ({ params, workspaceId, scope }) => {
      assertEventTypeVisible(scope, params.name);
      const row = await readEventType(db, workspaceId, params.name);
      return { status: 200, body: toEventTypeJson(row) };
    },
  });
}
