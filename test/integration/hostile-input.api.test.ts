// Hostile or merely odd input at the API's edge: every one answers a 4xx in the one error shape, never a 5xx, a stack or a hang.
import { gzipSync } from 'node:zlib';
import { makeDestination } from '../support/delivery-helpers';
import { startApiHarness, type ApiHarness } from '../support/api-harness';

describe('hostile input at the edge', () => {
  let api: ApiHarness;
  let key: string;
  let destinationId: string;

  beforeAll(async () => {
    api = await startApiHarness();
    ({ key } = await api.createWorkspace('hostile'));
    destinationId = (await makeDestination(api, key, { url: 'http://127.0.0.1:9/hook', event_types: ['*'] })).id;
  });

  afterAll(async () => {
    await api?.close();
  });

  /** The one error shape, with the code and (where one is named) the path of the offending field. */
  function expectRefusal(response: { status: number; body: any; headers: Headers }, status: number, code: string, path?: string) {
    expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(typeof response.body.error.message).toBe('string');
    if (path) expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toContain(path);
  }

  const post = (body: unknown) => api.request('POST', '/v1/events', { key, body });

  describe('data PostgreSQL cannot store is refused before the 202, naming the field', () => {
    it('a NUL character in a string', async () => {
      expectRefusal(await post({ type: 'contact.created', data: { name: 'Ada\u0000' } }), 422, 'unstorable_text', 'body.data.name');
    });

    it('a NUL character in a key', async () => {
      expectRefusal(await post({ type: 'contact.created', data: { 'na\u0000me': 'Ada' } }), 422, 'unstorable_text', 'body.data.na\u0000me');
    });

    it('a lone UTF-16 surrogate (half an emoji)', async () => {
      expectRefusal(
        await api.request('POST', '/v1/events', { key, rawBody: '{"type":"contact.created","data":{"bio":"\\ud83d"}}' }),
        422,
        'unstorable_text',
        'body.data.bio',
      );
    });

    it('an occurred_at outside the years a timestamp can hold', async () => {
      expectRefusal(await post({ type: 'contact.created', data: {}, occurred_at: '0000-01-01T00:00:00Z' }), 400, 'validation_failed', 'body.occurred_at');
    });

    it('the same checks guard every stored field, not only event data', async () => {
      expectRefusal(
        await api.request('PUT', '/v1/event-types/contact.nul', { key, body: { description: 'no\u0000pe' } }),
        422,
        'unstorable_text',
        'body.description',
      );
    });
  });

  describe('no input is a 5xx', () => {
    it('thousands of unclosed brackets answer 400 in JSON, without a stack', async () => {
      const response = await api.request('POST', '/v1/events', { key, rawBody: '['.repeat(20_000) });
      expectRefusal(response, 400, 'too_deeply_nested');
      expect(JSON.stringify(response.body)).not.toMatch(/at |\.ts:|node_modules/);
    });

    it('deeply nested valid JSON in data answers 400 and says the limit', async () => {
      const deep = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
      const response = await api.request('POST', '/v1/events', { key, rawBody: `{"type":"contact.created","data":${deep}}` });
      expectRefusal(response, 400, 'too_deeply_nested');
      expect(response.body.error.message).toMatch(/64/);
    });

    it('a path id with an invalid percent-escape', async () => {
      expectRefusal(await api.request('GET', '/v1/destinations/%E0%A4%A', { key }), 400, 'malformed_request');
    });

    it('a path id that decodes to control characters', async () => {
      expectRefusal(await api.request('GET', '/v1/destinations/dst_%00%07', { key }), 400, 'invalid_characters', 'params.id');
    });

    it('a cursor that decodes to control characters', async () => {
      const cursor = Buffer.from('a\u0000b', 'utf8').toString('base64url');
      expectRefusal(await api.request('GET', `/v1/event-types?cursor=${cursor}`, { key }), 400, 'invalid_cursor');
    });

    it('a filter value with control characters', async () => {
      expectRefusal(await api.request('GET', '/v1/deliveries?event_type=a%01b', { key }), 400, 'invalid_characters', 'query.event_type');
    });

    it('since and until out of range', async () => {
      expectRefusal(await api.request('GET', '/v1/deliveries?since=0000-01-01T00:00:00Z', { key }), 400, 'validation_failed', 'query.since');
    });

    it('a Content-Encoding that does not match the body', async () => {
      const response = await api.request('POST', '/v1/events', {
        key,
        rawBody: '{"type":"contact.created","data":{}}',
        headers: { 'content-encoding': 'gzip' },
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.body.error.code).toEqual(expect.any(String));
    });

    it('a gzip body that is well encoded is read', async () => {
      const body = gzipSync(JSON.stringify({ type: 'contact.created', data: {} }));
      const response = await fetch(`${api.baseUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body,
      });
      expect(response.status).toBe(202);
    });

    it('a JSON Schema pattern with catastrophic backtracking answers at once (RE2)', async () => {
      const put = await api.request('PUT', '/v1/event-types/contact.redos', {
        key,
        body: { schema: { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } } },
      });
      expect(put.status).toBe(201);
      expectRefusal(await post({ type: 'contact.redos', data: { s: `${'a'.repeat(60)}!` } }), 422, 'payload_schema_mismatch', 'data.s');
    });

    it('a JSON Schema pattern RE2 cannot run (a backreference) is refused when registered', async () => {
      const put = await api.request('PUT', '/v1/event-types/contact.backref', { key, body: { schema: { type: 'string', pattern: '(a)\\1' } } });
      expectRefusal(put, 422, 'invalid_schema');
    });

    it('a self-referencing JSON Schema is refused when registered', async () => {
      expectRefusal(await api.request('PUT', '/v1/event-types/contact.loop', { key, body: { schema: { $ref: '#' } } }), 422, 'invalid_schema', 'body.schema');
    });
  });

  describe('a body must be JSON, and is never dropped silently', () => {
    it.each([
      ['text/plain', 'whsec_not-json-at-all'],
      ['application/x-www-form-urlencoded', 'secret=whsec_abc'],
      ['application/xml', '<secret>whsec_abc</secret>'],
    ])('rotate-secret with a %s body answers 415 and rotates nothing', async (contentType, rawBody) => {
      const before = await api.request('GET', `/v1/destinations/${destinationId}`, { key });
      const response = await api.request('POST', `/v1/destinations/${destinationId}/rotate-secret`, { key, rawBody, headers: { 'content-type': contentType } });
      expectRefusal(response, 415, 'unsupported_media_type');
      expect((await api.request('GET', `/v1/destinations/${destinationId}`, { key })).body.updated_at).toBe(before.body.updated_at);
    });

    it('a body without a content type answers 415', async () => {
      const response = await fetch(`${api.baseUrl}/v1/event-types/contact.created`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${key}` },
        body: new Blob(['{"description":"x"}']),
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    });

    it('unknown fields on workspace and API-key creation are refused', async () => {
      expectRefusal(await api.request('POST', '/v1/workspaces', { admin: true, body: { name: 'x', plan: 'gold' } }), 400, 'validation_failed');
      const workspace = await api.request('POST', '/v1/workspaces', { admin: true, body: { name: 'strict' } });
      expectRefusal(
        await api.request('POST', `/v1/workspaces/${workspace.body.id}/api-keys`, { admin: true, body: { name: 'k', scope: 'all' } }),
        400,
        'validation_failed',
      );
    });

    it.each([
      ['a body template', { body_template: { ['__proto__']: { polluted: true } } }, 'body.body_template.__proto__'],
      ['headers', { headers: { ['__proto__']: 'x' } }, 'body.headers.__proto__'],
      ['query parameters', { query_params: { ['__proto__']: 'x' } }, 'body.query_params.__proto__'],
    ])('a __proto__ key in %s is refused, not dropped', async (_what, fields, path) => {
      const rawBody = JSON.stringify({ name: 'proto', url: 'http://127.0.0.1:9/hook', ...fields });
      expectRefusal(await api.request('POST', '/v1/destinations', { key, rawBody }), 422, 'forbidden_key', path);
    });
  });

  describe('header values are checked when written', () => {
    it.each([
      ['a control character', 'Bearer a\u0001b'],
      ['a character outside Latin-1', 'Bearer 😀'],
      ['a line separator', 'Bearer a\u2028b'],
    ])('%s is refused (422 naming the header)', async (_what, value) => {
      const response = await api.request('POST', '/v1/destinations', {
        key,
        body: { name: 'h', url: 'http://127.0.0.1:9/hook', headers: { Authorization: value } },
      });
      expectRefusal(response, 422, 'invalid_header', 'body.headers.Authorization');
    });
  });
});
