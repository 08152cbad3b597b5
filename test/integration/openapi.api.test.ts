// The published API description: /openapi.json lists every mounted route, documents the shapes, and /docs renders it.
import { DEFAULT_EVENT_TYPES } from '../../src/domain/event-catalog';
import { startApiHarness, type ApiHarness } from '../support/api-harness';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('OpenAPI document and docs page', () => {
  let harness: ApiHarness;
  let document: any;

  beforeAll(async () => {
    harness = await startApiHarness();
    const response = await harness.request('GET', '/openapi.json');
    expect(response.status).toBe(200);
    document = response.body;
  });

  afterAll(async () => {
    await harness.close();
  });

  it('is an OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('Hookline API');
  });

  it('contains every route the app mounts', () => {
    const routes = harness.app.routes.routes();
    expect(routes.length).toBeGreaterThan(10);
    const missing = routes.filter((route) => document.paths?.[route.path]?.[route.method] === undefined);
    expect(missing).toEqual([]);
  });

  it('documents no route the app does not mount', () => {
    const mounted = new Set(harness.app.routes.routes().map((route) => `${route.method} ${route.path}`));
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(documented.filter((entry) => !mounted.has(entry))).toEqual([]);
  });

  it.each([
    ['post', '/v1/destinations'],
    ['get', '/v1/destinations'],
    ['get', '/v1/destinations/{id}'],
    ['patch', '/v1/destinations/{id}'],
    ['delete', '/v1/destinations/{id}'],
    ['post', '/v1/destinations/{id}/rotate-secret'],
    ['get', '/v1/destinations/{id}/subscriptions'],
    ['put', '/v1/destinations/{id}/subscriptions'],
    ['get', '/v1/event-types'],
    ['get', '/v1/event-types/{name}'],
    ['put', '/v1/event-types/{name}'],
  ])('documents %s %s with a summary and the workspace key', (method, path) => {
    const operation = document.paths[path]?.[method];
    expect(operation).toBeDefined();
    expect(operation.summary).toEqual(expect.any(String));
    expect(operation.security).toContainEqual({ workspaceKey: [] });
    expect(operation.responses['401']).toBeDefined();
  });

  it('documents which routes a portal session may call', () => {
    expect(document.paths['/v1/destinations/{id}']?.get.security).toEqual([{ workspaceKey: [] }, { portalSession: [] }]);
    expect(document.paths['/v1/destinations/{id}']?.patch.responses['403']).toBeDefined();
    expect(document.paths['/v1/event-types/{name}']?.put.security).toEqual([{ workspaceKey: [] }]);
    expect(document.paths['/v1/events']?.post.security).toEqual([{ workspaceKey: [] }]);
  });

  it('names the configuration schemas as components', () => {
    for (const name of ['Destination', 'DestinationCreated', 'SecretRotated', 'CreateDestination', 'UpdateDestination', 'EventType', 'Error']) {
      expect(document.components.schemas[name]).toBeDefined();
    }
  });

  /** Property names of a component, following `allOf` and `$ref` (extended schemas are emitted that way). */
  function propertiesOf(schema: any): string[] {
    if (schema?.$ref) return propertiesOf(document.components.schemas[String(schema.$ref).split('/').pop()!]);
    const own = Object.keys(schema?.properties ?? {});
    return [...own, ...((schema?.allOf ?? []) as unknown[]).flatMap(propertiesOf)];
  }

  it('keeps the secret out of the Destination schema and in the create and rotate responses only', () => {
    const schemas = document.components.schemas;
    expect(propertiesOf(schemas.Destination)).not.toContain('secret');
    expect(propertiesOf(schemas.DestinationCreated)).toContain('secret');
    expect(propertiesOf(schemas.SecretRotated)).toEqual(expect.arrayContaining(['secret', 'previous_secret_expires_at']));
  });

  it('documents the destination fields the issue names', () => {
    expect(propertiesOf(document.components.schemas.Destination)).toEqual(
      expect.arrayContaining([
        'id',
        'name',
        'url',
        'method',
        'headers',
        'query_params',
        'body_template',
        'timeout_seconds',
        'enabled',
        'status',
        'trigger',
        'filter',
        'max_attempts',
        'failure_threshold',
        'signature_scheme',
        'signature_header',
        'event_types',
        'created_at',
        'updated_at',
      ]),
    );
  });

  /** Every operation of the document, with its method and path. */
  function operations(): { method: string; path: string; operation: any }[] {
    return Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ method, path, operation })),
    );
  }

  function resolve(node: any): any {
    if (!node?.$ref) return node;
    const [, , kind, name] = String(node.$ref).split('/');
    return document.components[kind!][name!];
  }

  it('names every operation with a unique operationId, so generated clients get method names', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.paths['/v1/events'].post.operationId).toBe('ingestEvent');
  });

  it('lists servers, a license and a description for every tag it uses', () => {
    expect(document.servers.length).toBeGreaterThan(0);
    expect(document.info.license.name).toEqual(expect.any(String));
    const described = new Set(document.tags.map((tag: { name: string; description: string }) => tag.description && tag.name));
    expect(operations().filter(({ operation }) => !described.has(operation.tags[0]))).toEqual([]);
  });

  it('declares the error shape for every error status of every route, and X-Request-Id on every response', () => {
    for (const { operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses as Record<string, unknown>)) {
        const resolved = resolve(response);
        expect(resolved.headers['X-Request-Id']).toBeDefined();
        if (Number(status) >= 400 && operation.operationId !== 'getReadiness') {
          expect(resolved.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
        }
      }
    }
    expect(resolve(document.paths['/v1/events'].post.responses['503']).headers['Retry-After']).toBeDefined();
  });

  it("sends the X-Request-Id it documents, echoing the caller's own", async () => {
    const own = await fetch(`${harness.baseUrl}/healthz`, { headers: { 'x-request-id': 'trace-42' } });
    expect(own.headers.get('x-request-id')).toBe('trace-42');
    const made = await fetch(`${harness.baseUrl}/healthz`);
    expect(made.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('documents Idempotency-Key on ingestion and Idempotent-Replayed on its answer', () => {
    const ingest = document.paths['/v1/events'].post;
    expect(ingest.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false })]));
    expect(ingest.responses['202'].headers['Idempotent-Replayed']).toBeDefined();
  });

  it('types event data as any JSON value and keeps fields with server-side defaults optional', () => {
    const eventIn = document.components.schemas.EventIn;
    expect(eventIn.properties.data.type).toBeUndefined();
    expect(eventIn.required).toEqual(['type', 'data']);
    expect(document.components.schemas.CreateDestination.required).toEqual(['name', 'url']);
    expect(document.components.schemas.PutEventType.required ?? []).toEqual([]);
  });

  it('describes every built-in event type as an outgoing webhook: the envelope, both signature schemes and the data', () => {
    expect(Object.keys(document.webhooks).sort()).toEqual(DEFAULT_EVENT_TYPES.map((type) => type.name).sort());
    for (const type of DEFAULT_EVENT_TYPES) {
      const webhook = document.webhooks[type.name].post;
      const headers = webhook.parameters.filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name);
      expect(headers).toEqual(expect.arrayContaining(['webhook-id', 'webhook-timestamp', 'webhook-signature', 'X-Webhook-Signature']));
      const body = webhook.requestBody.content['application/json'];
      expect(body.schema.allOf[0]).toEqual({ $ref: '#/components/schemas/WebhookEnvelope' });
      expect(body.schema.allOf[1].properties.type.const).toBe(type.name);
      expect(body.example).toEqual(expect.objectContaining({ type: type.name, data: type.example }));
    }
    expect(Object.keys(document.components.schemas.WebhookEnvelope.properties)).toEqual(['id', 'type', 'timestamp', 'workspace_id', 'data']);
    expect(document.components.schemas.WebhookTestData.required).toEqual(['message']);
    expect(document.components.schemas.WebhookAutoDisabledData.required).toEqual(
      expect.arrayContaining(['destination_id', 'destination_name', 'reason', 'consecutive_failures', 'disabled_at']),
    );
  });

  it("serves each workspace its own webhooks document, with a registered type's JSON Schema", async () => {
    const { key } = await harness.createWorkspace();
    const schema = { type: 'object', required: ['lead_id', 'score'], properties: { lead_id: { type: 'string' }, score: { type: 'integer', minimum: 0 } } };
    const registered = await harness.request('PUT', '/v1/event-types/lead.scored', {
      key,
      body: { description: 'A lead was scored.', schema, example: { lead_id: 'ld_1', score: 87 } },
    });
    expect(registered.status).toBe(201);

    const own = await harness.request('GET', '/v1/webhooks/openapi.json', { key });

    expect(own.status).toBe(200);
    expect(own.body.openapi).toBe('3.1.0');
    const webhook = own.body.webhooks['lead.scored'].post;
    expect(webhook.requestBody.content['application/json'].schema.allOf[1].properties.data).toEqual({ $ref: '#/components/schemas/LeadScoredData' });
    expect(own.body.components.schemas.LeadScoredData).toEqual(schema);
    expect(webhook.requestBody.content['application/json'].example.data).toEqual({ lead_id: 'ld_1', score: 87 });
    // The built-in types come with every workspace, so its document has them too.
    expect(Object.keys(own.body.webhooks)).toEqual(expect.arrayContaining(['webhook.test', 'webhook.auto_disabled', 'contact.created']));
    const other = await harness.createWorkspace();
    const theirs = await harness.request('GET', '/v1/webhooks/openapi.json', { key: other.key });
    expect(theirs.body.webhooks['lead.scored']).toBeUndefined();
  });

  it('serves /docs as a page that renders the document with the bundled Scalar script, nothing from a CDN', async () => {
    const response = await fetch(`${harness.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Hookline API</title>');
    expect(html).toContain('/openapi.json');
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((match) => match[1]);
    expect(scripts).toEqual(['/docs/scalar.js']);
    const bundle = await fetch(`${harness.baseUrl}/docs/scalar.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });
});
