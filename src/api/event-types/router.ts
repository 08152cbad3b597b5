// The workspace's event catalog: register (upsert), list and read event types with their schema and example.
import type { EventType } from '../../db/schema';
import { RuleViolationError } from '../../domain/errors';
import { isValidEventTypeName } from '../../domain/event-match';
import { compileJsonSchema, schemaErrorDetails, summarizeSchemaErrors } from '../../domain/json-schema';
import { listEventTypes, readEventType, upsertEventType } from '../../store/event-types';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import { decodeCursor, pageOf, pageSchema, paginationQuery } from '../http/pagination';
import type { RouteTable } from '../http/route';

const eventTypeSchema = z
  .object({
    name: z.string().openapi({ example: 'contact.created' }),
    description: z.string(),
    schema: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'JSON Schema (2020-12 by default, or draft-07 via $schema) that event data must match.' }),
    example: z.unknown().nullable().openapi({ description: 'A sample `data` payload, used by test deliveries.' }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi('EventType');

const putEventTypeSchema = z
  .strictObject({
    description: z.string().max(2_000).default(''),
    schema: z.record(z.string(), z.unknown()).nullable().default(null),
    example: z.unknown().optional(),
  })
  .openapi('PutEventType', {
    description: 'Replaces the type: fields left out are reset (description to "", schema and example to null).',
  });

const nameParams = z.object({ name: z.string().openapi({ example: 'contact.created' }) });

function toEventTypeJson(row: EventType) {
  return {
    name: row.name,
    description: row.description,
    schema: row.schema,
    example: row.example ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** The schema must compile, and an example given with it must pass it: a catalog entry that rejects its own example helps nobody. */
function checkSchemaAndExample(schema: Record<string, unknown> | null, example: unknown): void {
  if (!schema) return;
  const compiled = compileJsonSchema(schema);
  if (!compiled.ok) {
    throw new RuleViolationError('invalid_schema', `schema is not a valid JSON Schema: ${compiled.message}`, [
      { path: 'body.schema', message: compiled.message },
    ]);
  }
  if (example === undefined || example === null || compiled.validate(example)) return;
  const details = schemaErrorDetails(compiled.validate.errors, 'body.example');
  throw new RuleViolationError('invalid_example', `example does not match the schema: ${summarizeSchemaErrors(details)}`, details);
}

export function registerEventTypeRoutes(routes: RouteTable, { db }: ApiDeps): void {
  routes.add({
    method: 'put',
    path: '/v1/event-types/:name',
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
        throw new RuleViolationError(
          'invalid_event_type',
          `"${params.name}" is not an event type name: use dotted lowercase words such as contact.created`,
          [{ path: 'params.name', message: 'not a dotted lowercase name' }],
        );
      }
      checkSchemaAndExample(body.schema, body.example);
      const row = await upsertEventType(db, workspaceId, params.name, { description: body.description, schema: body.schema, example: body.example });
      return { status: row.inserted ? 201 : 200, body: toEventTypeJson(row) };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/event-types',
    summary: "List the workspace's event types, by name",
    tag: 'Event types',
    access: 'workspace',
    query: paginationQuery,
    responses: { 200: { description: 'A page of event types', schema: pageSchema(eventTypeSchema, 'EventTypePage') } },
    handler: async ({ query, workspaceId }) => {
      const after = decodeCursor(query.cursor);
      const rows = await listEventTypes(db, workspaceId, { ...(after !== undefined ? { after } : {}), limit: query.limit + 1 });
      const page = pageOf(rows, query.limit, (row) => row.name);
      return { status: 200, body: { data: page.data.map(toEventTypeJson), next_cursor: page.next_cursor } };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/event-types/:name',
    summary: 'Read one event type',
    tag: 'Event types',
    access: 'workspace',
    params: nameParams,
    responses: { 200: { description: 'The event type', schema: eventTypeSchema } },
    handler: async ({ params, workspaceId }) => {
      const row = await readEventType(db, workspaceId, params.name);
      return { status: 200, body: toEventTypeJson(row) };
    },
  });
}
