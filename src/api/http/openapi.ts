// The OpenAPI registry every route registers into, and the document built from it.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })),
    }),
  })
  .openapi('Error');

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'workspaceKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A workspace API key (`hk_...`), created with POST /v1/workspaces/{id}/api-keys.',
  });
  registry.registerComponent('securitySchemes', 'portalSession', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A portal session token from POST /v1/portal-sessions: a scoped, short-lived view for a platform’s customer.',
  });
  registry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator token from HOOKLINE_ADMIN_TOKEN.',
  });
  return registry;
}

export function buildDocument(registry: OpenAPIRegistry, version: string): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Hookline API',
      version,
      description: 'Durable outbound webhooks: configure destinations, ingest events, inspect and retry deliveries.',
    },
  });
}

export { z };
