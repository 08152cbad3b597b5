// The published API description: /openapi.json lists every mounted route, documents the shapes, and /docs renders it.
import { startApiHarness, type ApiHarness } from '../support/api-harness';

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
        'id', 'name', 'url', 'method', 'headers', 'query_params', 'body_template', 'timeout_seconds', 'enabled', 'status', 'trigger',
        'filter', 'max_attempts', 'failure_threshold', 'signature_scheme', 'signature_header', 'event_types', 'created_at', 'updated_at',
      ]),
    );
  });

  it('serves an HTML docs page at /docs that loads the document', async () => {
    const response = await fetch(`${harness.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Hookline API</title>');
    expect(html).toContain('/openapi.json');
  });
});
