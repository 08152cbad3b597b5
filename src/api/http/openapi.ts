// The OpenAPI registry every route registers into, the shapes all routes share, and the document built from it.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ description: 'Machine-readable; branch on this, not on the message.', example: 'validation_failed' }),
      message: z.string().openapi({ description: 'For people: what went wrong and, where it helps, what to do.' }),
      details: z
        .array(z.object({ path: z.string().openapi({ example: 'body.url' }), message: z.string(), code: z.string().optional() }))
        .openapi({ description: 'One entry per offending field; empty when the error is not about a field.' }),
    }),
  })
  .openapi('Error');

export const REQUEST_ID_HEADER = 'X-Request-Id';
export const RETRY_AFTER_HEADER = 'Retry-After';

const TAGS = [
  { name: 'Health', description: 'Liveness and readiness probes for load balancers and orchestrators.' },
  { name: 'Workspaces', description: 'Operator routes (admin token): tenants and their API keys.' },
  { name: 'Destinations', description: 'Where a workspace’s events are delivered: URL, signing, retries, health and recovery.' },
  { name: 'Event types', description: 'The workspace’s catalog of event types, with JSON Schemas that ingestion enforces.' },
  {
    name: 'Events',
    description: 'Ingestion: an accepted event is committed in PostgreSQL, with its outbox row, before the 202; a relay in every worker starts its workflow.',
  },
  { name: 'Deliveries', description: 'One delivery per (event, destination): its status, every attempt, and manual retry at any time.' },
  { name: 'Webhooks', description: 'What Hookline sends to destinations: the envelope, the signature headers and each event type.' },
  {
    name: 'Data lifecycle',
    description: 'How long event data and records are kept (retention), and one subject’s data on request: erasure (GDPR art. 17) and export (art. 15).',
  },
  { name: 'Portal', description: 'Customer portal sessions (short-lived signed links, scoped and revocable) and embedding settings.' },
  { name: 'Operations', description: 'Operator routes (admin token) for running Hookline: the Temporal codec endpoint.' },
];

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
  registry.register('Error', errorSchema);
  // Every response carries X-Request-Id: the caller's own when it sent a usable one, else one Hookline made.
  registry.registerComponent('headers', REQUEST_ID_HEADER, {
    description: 'Identifies the request in Hookline’s logs. Send your own X-Request-Id (1–128 visible ASCII characters) to correlate.',
    required: true,
    schema: { type: 'string', example: 'req_4f1c2b9a8e7d4c3b2a1f0e9d8c7b6a5f' },
  });
  // On 503 a dependency (PostgreSQL or Temporal) is down and nothing was accepted, so the same request can be sent again.
  registry.registerComponent('headers', RETRY_AFTER_HEADER, {
    description: 'Seconds to wait before sending the same request again.',
    required: true,
    schema: { type: 'string', example: '5' },
  });
  return registry;
}

export interface DocumentOptions {
  version: string;
  /** Where this deployment is reached (HOOKLINE_PUBLIC_URL); the development address is listed after it. */
  publicUrl?: string | undefined;
  title?: string;
  description?: string;
}

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export function buildDocument(registry: OpenAPIRegistry, options: DocumentOptions): OpenApiDocument {
  const servers = [
    ...(options.publicUrl ? [{ url: options.publicUrl.replace(/\/+$/, ''), description: 'This deployment' }] : []),
    { url: 'http://127.0.0.1:3000', description: 'A local `npm run dev`' },
  ];
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Hookline API',
      version: options.version,
      description:
        options.description ??
        'Durable outbound webhooks: configure destinations, ingest events, inspect and retry deliveries. ' +
          'JSON is snake_case; every error has the `Error` shape. The `webhooks` section describes what Hookline sends to destinations.',
      license: { name: 'UNLICENSED', identifier: 'LicenseRef-Hookline' },
    },
    servers,
    tags: TAGS,
  });
}

export { z };
