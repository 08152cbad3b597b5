// The workspace's own webhooks document: its event catalog, each type's JSON Schema, as OpenAPI 3.1 `webhooks`.
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { EventType } from '../../db/schema';
import type { Db } from '../../db/connect';
import { listEventTypes } from '../../store/event-types';
import type { ApiDeps } from '../http/deps';
import { buildDocument, z } from '../http/openapi';
import type { RouteTable } from '../http/route';
import { registerWebhooks, type CatalogEntry } from './document';

const PAGE = 500;

const webhooksDocumentSchema = z
  .looseObject({
    openapi: z.literal('3.1.0'),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    webhooks: z.record(z.string(), z.unknown()).openapi({ description: 'One POST per event type in the workspace catalog.' }),
    components: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('WebhooksDocument', {
    description:
      'An OpenAPI 3.1 document with no paths: feed it to a generator (openapi-typescript, oapi-codegen, datamodel-code-generator) for the types your receiver will get.',
  });

async function wholeCatalog(db: Db, workspaceId: string): Promise<EventType[]> {
  const rows: EventType[] = [];
  for (;;) {
    const page = await listEventTypes(db, workspaceId, { ...(rows.length > 0 ? { after: rows[rows.length - 1]!.name } : {}), limit: PAGE });
    rows.push(...page);
    if (page.length < PAGE) return rows;
  }
}

export function registerWebhookDocumentRoutes(routes: RouteTable, { db, config, version }: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/v1/webhooks/openapi.json',
    operationId: 'getWebhooksDocument',
    summary: "This workspace's webhooks as an OpenAPI 3.1 document: every event type with its registered JSON Schema",
    description:
      'Generate receiver types from it: each event type is a webhook whose body is the envelope with `type` fixed and `data` ' +
      'typed by the JSON Schema registered with PUT /v1/event-types/{name} (any JSON value when none is registered).',
    tag: 'Webhooks',
    access: 'workspace',
    responses: { 200: { description: 'The document', schema: webhooksDocumentSchema } },
    handler: async ({ workspaceId }) => {
      const catalog: CatalogEntry[] = (await wholeCatalog(db, workspaceId)).map((row) => ({
        name: row.name,
        description: row.description,
        schema: row.schema as Record<string, unknown> | null,
        example: row.example,
      }));
      const registry = new OpenAPIRegistry();
      registerWebhooks(registry, catalog);
      const document = buildDocument(registry, {
        version,
        publicUrl: config.publicUrl,
        title: `Hookline webhooks of workspace ${workspaceId}`,
        description: 'What Hookline sends to this workspace’s destinations: the envelope, the signature headers and every registered event type.',
      });
      // The generator types its document loosely (any version, webhooks optional); this one is 3.1 with a webhooks map, empty or not.
      return {
        status: 200,
        body: { ...document, openapi: '3.1.0' as const, info: { ...document.info }, webhooks: document.webhooks ?? {}, components: { ...document.components } },
      };
    },
  });
}
