// Operator routes: create workspaces and issue or revoke their API keys.
import { newId } from '../domain/ids';
import { generateApiKey } from './auth';
import type { ApiDeps } from './deps';
import { ApiError } from './errors';
import { z } from './openapi';
import type { RouteTable } from './route';
import { seedDefaultEventTypes } from './event-types.seed';

const workspaceSchema = z.object({ id: z.string(), name: z.string() }).openapi('Workspace');
const createWorkspaceSchema = z.object({ name: z.string().trim().min(1).max(200) }).openapi('CreateWorkspace');
const workspaceParams = z.object({ id: z.string() });
const createKeySchema = z.object({ name: z.string().trim().max(200).optional() }).openapi('CreateApiKey');
const apiKeyCreatedSchema = z
  .object({ id: z.string(), key: z.string().openapi({ description: 'Shown once; store it now.' }), prefix: z.string() })
  .openapi('ApiKeyCreated');
const apiKeySchema = z
  .object({ id: z.string(), name: z.string().nullable(), prefix: z.string(), created_at: z.date(), revoked_at: z.date().nullable() })
  .openapi('ApiKey');

export function registerWorkspaceRoutes(routes: RouteTable, { db }: ApiDeps): void {
  async function requireWorkspace(id: string): Promise<void> {
    const row = await db.selectFrom('workspaces').select('id').where('id', '=', id).executeTakeFirst();
    if (!row) throw ApiError.notFound('Workspace');
  }

  routes.add({
    method: 'post',
    path: '/v1/workspaces',
    summary: 'Create a workspace (its default event types come with it)',
    tag: 'Workspaces',
    access: 'admin',
    body: createWorkspaceSchema,
    responses: { 201: { description: 'Created', schema: workspaceSchema } },
    handler: async ({ body }) => {
      const workspace = { id: newId('ws'), name: body.name };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('workspaces').values(workspace).execute();
        await seedDefaultEventTypes(trx, workspace.id);
      });
      return { status: 201, body: workspace };
    },
  });

  routes.add({
    method: 'post',
    path: '/v1/workspaces/:id/api-keys',
    summary: 'Issue an API key for a workspace; the key is shown only in this response',
    tag: 'Workspaces',
    access: 'admin',
    params: workspaceParams,
    body: createKeySchema,
    responses: { 201: { description: 'Created', schema: apiKeyCreatedSchema } },
    handler: async ({ params, body }) => {
      await requireWorkspace(params.id);
      const { key, prefix, hash } = generateApiKey();
      const id = newId('key');
      await db
        .insertInto('api_keys')
        .values({ id, workspace_id: params.id, name: body.name ?? null, prefix, key_hash: hash, revoked_at: null })
        .execute();
      return { status: 201, body: { id, key, prefix } };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/workspaces/:id/api-keys',
    summary: "List a workspace's API keys (never the keys themselves)",
    tag: 'Workspaces',
    access: 'admin',
    params: workspaceParams,
    responses: { 200: { description: 'The keys', schema: z.object({ data: z.array(apiKeySchema) }) } },
    handler: async ({ params }) => {
      await requireWorkspace(params.id);
      const keys = await db
        .selectFrom('api_keys')
        .select(['id', 'name', 'prefix', 'created_at', 'revoked_at'])
        .where('workspace_id', '=', params.id)
        .orderBy('id')
        .execute();
      return { status: 200, body: { data: keys } };
    },
  });

  routes.add({
    method: 'delete',
    path: '/v1/workspaces/:id/api-keys/:keyId',
    summary: 'Revoke an API key; it stops working at once',
    tag: 'Workspaces',
    access: 'admin',
    params: z.object({ id: z.string(), keyId: z.string() }),
    responses: { 204: { description: 'Revoked' } },
    handler: async ({ params }) => {
      const result = await db
        .updateTable('api_keys')
        .set({ revoked_at: new Date() })
        .where('workspace_id', '=', params.id)
        .where('id', '=', params.keyId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw ApiError.notFound('API key');
      return { status: 204 };
    },
  });
}
