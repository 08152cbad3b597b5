// Describes an event catalog as OpenAPI 3.1 `webhooks`: one POST per event type, its data schema a named component.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { DEFAULT_EVENT_TYPES } from '../../domain/event-catalog';
import { BUILT_IN_DATA_SCHEMAS, signatureHeadersSchema, webhookEnvelopeSchema } from './schemas';

/** An event type as the document needs it: a registered row of the workspace, or a built-in one. */
export interface CatalogEntry {
  name: string;
  description: string;
  /** The registered JSON Schema of `data`, or null when the workspace registered none. */
  schema: Record<string, unknown> | null;
  example: unknown;
}

/** `webhook.auto_disabled` → `WebhookAutoDisabled`: what generated clients name the type after. */
export function pascalName(type: string): string {
  return type
    .split(/[._-]/)
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/* How Hookline reads the receiver's answer (src/domain/retry-policy.ts), so a receiver knows what its status codes do. */
const RECEIVER_RESPONSES = {
  '2XX': { description: 'Delivered: any 2xx ends the delivery as succeeded. The body is ignored but for an excerpt kept with the attempt.' },
  '410': { description: 'Gone: the delivery fails and Hookline disables the destination.' },
  '429': { description: 'Retried: after the receiver’s Retry-After when given (clamped), else on the retry schedule.' },
  '4XX': { description: 'Any other 4xx fails the delivery at once, except 408 and 425, which are retried.' },
  '5XX': { description: 'Retried on the schedule (8 attempts over about a day by default); a 503’s Retry-After is honoured.' },
};

/** A sample body in the order Hookline serialises it. */
function exampleEnvelope(type: string, data: unknown) {
  return { id: 'evt_01JBR4Y8K9W6Q2M3N4P5R6S7T8', type, timestamp: '2025-01-15T09:30:00.000Z', workspace_id: 'ws_01JBR4Y8K9W6Q2M3N4P5R6S7T8', data };
}

/** The built-in types, as every workspace starts with them. */
export function builtInCatalog(): CatalogEntry[] {
  return DEFAULT_EVENT_TYPES.map((entry) => ({ name: entry.name, description: entry.description, schema: null, example: entry.example }));
}

/** Registers `data`'s schema under `<Type>Data`: the workspace's own, else Hookline's for built-ins, else any JSON value. */
function registerDataSchema(registry: OpenAPIRegistry, entry: CatalogEntry, componentName: string): void {
  const builtIn = BUILT_IN_DATA_SCHEMAS[entry.name];
  if (entry.schema) {
    registry.registerComponent('schemas', componentName, entry.schema);
  } else if (builtIn) {
    registry.register(componentName, builtIn);
  } else {
    registry.registerComponent('schemas', componentName, {
      description: `Any JSON value: no JSON Schema is registered for ${entry.name} (PUT /v1/event-types/${entry.name} registers one).`,
    });
  }
}

export function registerWebhooks(registry: OpenAPIRegistry, catalog: CatalogEntry[]): void {
  registry.register('WebhookEnvelope', webhookEnvelopeSchema);
  const taken = new Set<string>();
  for (const entry of catalog) {
    // Distinct type names can share a Pascal name (contact.created_at, contact.created.at): number the later ones.
    let name = pascalName(entry.name);
    for (let n = 2; taken.has(name); n++) name = `${pascalName(entry.name)}${n}`;
    taken.add(name);
    const dataComponent = `${name}Data`;
    registerDataSchema(registry, entry, dataComponent);
    const hasExample = entry.example !== undefined && entry.example !== null;
    registry.registerWebhook({
      method: 'post',
      path: entry.name,
      operationId: `receive${name}`,
      summary: `${entry.name}: ${entry.description || 'an event of this type'}`,
      description:
        'Sent to every destination subscribed to this type (by name or wildcard) whose filter matches. ' +
        'The body is the envelope below unless the destination has a body_template. Verify the signature over the raw body ' +
        'before parsing it (the @hookline/verify package does both schemes), and deduplicate on webhook-id.',
      tags: ['Webhooks'],
      // The request is authenticated by its signature headers, which OpenAPI security schemes cannot express.
      security: [],
      request: {
        headers: signatureHeadersSchema,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: {
                allOf: [
                  { $ref: '#/components/schemas/WebhookEnvelope' },
                  {
                    type: 'object',
                    required: ['type', 'data'],
                    properties: { type: { type: 'string', const: entry.name }, data: { $ref: `#/components/schemas/${dataComponent}` } },
                  },
                ],
              },
              ...(hasExample ? { example: exampleEnvelope(entry.name, entry.example) } : {}),
            },
          },
        },
      },
      responses: RECEIVER_RESPONSES,
    });
  }
}
