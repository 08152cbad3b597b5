// Operator routes: create and list workspaces, and issue or revoke their API keys.
import { generateApiKey } from '../../domain/api-key';
import { createWorkspace, insertApiKey, listApiKeys, listWorkspaces, revokeApiKey } from '../../store/workspaces';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import { decodeCursor, pageOf, pageSchema, paginationQuery } from '../http/pagination';
import type { RouteTable } from '../http/route';
import { apiKeyCreatedSchema, apiKeySchema, createKeySchema, createWorkspaceSchema, workspaceListedSchema, workspaceParams, workspaceSchema } from './schemas';

export function registerWorkspaceRoutes(routes: RouteTable, { db }: ApiDeps): void {
  routes.add({
    method: 'post',
    path: '/v1/workspaces',
    operationId: 'createWorkspace',
    summary: 'Create a workspace (its default event types come with it)',
    tag: 'Workspaces',
    access: 'admin',
    body: createWorkspaceSchema,
    responses: { 201: { description: 'Created', schema: workspaceSchema } },
    handler: async ({ body }) => ({ status: 201, body: await createWorkspace(db, body.name) }),
  });

  routes.add({
    method: 'get',
    path: '/v1/workspaces',
    operationId: 'listWorkspaces',
    summary: 'List workspaces, oldest first',
    tag: 'Workspaces',
    access: 'admin',
    query: paginationQuery,
    responses: { 200: { description: 'A page of workspaces', schema: pageSchema(workspaceListedSchema, 'WorkspacePage') } },
    handler: async ({ query }) => {
      const after = decodeCursor(query.cursor);
      const rows = await listWorkspaces(db, { ...(after !== undefined ? { after } : {}), limit: query.limit + 1 });
      const page = pageOf(rows, query.limit, (row) => row.id);
      return { status: 200, body: { data: page.data, next_cursor: page.next_cursor } };
    },
  });

  routes.add({
    method: 'post',
    path: '/v1/workspaces/:id/api-keys',
    operationId: 'createApiKey',
    summary: 'Issue an API key for a workspace; the key is shown only in this response',
    tag: 'Workspaces',
    access: 'admin',
    params: workspaceParams,
    body: createKeySchema,
    responses: { 201: { description: 'Created', schema: apiKeyCreatedSchema } },
    handler: async ({ params, body }) => {
      const { key, prefix, hash } = generateApiKey();
      const id = await insertApiKey(db, params.id, { name: body.name ?? null, prefix, hash });
      return { status: 201, body: { id, key, prefix } };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/workspaces/:id/api-keys',
    operationId: 'listApiKeys',
    summary: "List a workspace's API keys (never the keys themselves)",
    tag: 'Workspaces',
    access: 'admin',
    params: workspaceParams,
    responses: { 200: { description: 'The keys', schema: z.object({ data: z.array(apiKeySchema) }) } },
    handler: async ({ params }) => ({ status: 200, body: { data: await listApiKeys(db, params.id) } }),
  });

  routes.add({
    method: 'delete',
    path: '/v1/workspaces/:id/api-keys/:keyId',
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key; it stops working at once',
    tag: 'Workspaces',
    access: 'admin',
    params: z.object({ id: z.string(), keyId: z.string() }),
    responses: { 204: { description: 'Revoked' } },
    handler: async ({ params }) => {
      await revokeApiKey(db, params.id, params.keyId);
      return { status: 204 };
    },
  });
}
