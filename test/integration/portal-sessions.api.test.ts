// Portal sessions through the API: a token sees its scope only, read-only changes nothing, revocation and expiry refuse it.
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { eventually } from '../support/hookline-harness';
import { createDestination, refusal } from './destination-fixtures';

describe('portal sessions', () => {
  let api: ApiHarness;
  let key: string;
  let ours: string;
  let theirs: string;

  beforeAll(async () => {
    api = await startApiHarness();
    key = (await api.createWorkspace('Platform')).key;
    ours = (await createDestination(api, key, { name: 'Acme', event_types: ['contact.created'] })).id;
    theirs = (await createDestination(api, key, { name: 'Globex', event_types: ['contact.created'] })).id;
  });

  afterAll(async () => {
    await api?.close();
  });

  async function session(body: Record<string, unknown>): Promise<{ id: string; token: string; url: string }> {
    const response = await api.request('POST', '/v1/portal-sessions', { key, body });
    expect(response.status).toBe(201);
    return response.body;
  }

  it('answers a URL on the console carrying a token, and lists the session without it', async () => {
    const opened = await session({ destination_ids: [ours], expires_in_seconds: 600 });
    expect(opened.url).toBe(`${api.baseUrl}/console/portal?token=${encodeURIComponent(opened.token)}`);
    const listed = await api.request('GET', '/v1/portal-sessions', { key });
    const entry = listed.body.data.find((s: { id: string }) => s.id === opened.id);
    expect(entry).toMatchObject({ destination_ids: [ours], event_types: null, read_only: false });
    expect(JSON.stringify(listed.body)).not.toContain(opened.token);
  });

  it('sees only its destinations: the others answer 404 and are not listed', async () => {
    const { token } = await session({ destination_ids: [ours] });
    const list = await api.request('GET', '/v1/destinations', { key: token });
    expect(list.body.data.map((d: { id: string }) => d.id)).toEqual([ours]);
    expect((await api.request('GET', `/v1/destinations/${ours}`, { key: token })).status).toBe(200);
    expect(refusal(await api.request('GET', `/v1/destinations/${theirs}`, { key: token }))).toEqual({ status: 404, code: 'not_found' });
    expect(refusal(await api.request('PATCH', `/v1/destinations/${theirs}`, { key: token, body: { name: 'x' } }))).toEqual({ status: 404, code: 'not_found' });
    expect((await api.request('GET', `/v1/destinations/${theirs}/stats`, { key: token })).status).toBe(404);
    expect((await api.request('GET', `/v1/deliveries?destination_id=${theirs}`, { key: token })).body.data).toEqual([]);
    expect(refusal(await api.request('POST', '/v1/destinations', { key: token, body: { name: 'New', url: 'https://hooks.example.com/x' } }))).toEqual({
      status: 403,
      code: 'outside_portal_scope',
    });
  });

  it('narrowed to event types, lists those (and webhook.test) and subscribes to nothing else', async () => {
    const { token } = await session({ event_types: ['contact.created'] });
    const types = await api.request('GET', '/v1/event-types', { key: token });
    expect(types.body.data.map((t: { name: string }) => t.name)).toEqual(['contact.created', 'webhook.test']);
    expect((await api.request('GET', '/v1/event-types/contact.deleted', { key: token })).status).toBe(404);
    const outside = await api.request('PUT', `/v1/destinations/${ours}/subscriptions`, { key: token, body: { event_types: ['contact.*'] } });
    expect(refusal(outside)).toEqual({ status: 422, code: 'outside_portal_scope' });
    const inside = await api.request('PUT', `/v1/destinations/${ours}/subscriptions`, { key: token, body: { event_types: ['contact.created'] } });
    expect(inside.status).toBe(200);
  });

  it('read-only, reads but changes nothing', async () => {
    const { token } = await session({ read_only: true });
    expect((await api.request('GET', `/v1/destinations/${ours}/health`, { key: token })).status).toBe(200);
    expect(refusal(await api.request('PATCH', `/v1/destinations/${ours}`, { key: token, body: { enabled: false } }))).toEqual({
      status: 403,
      code: 'portal_read_only',
    });
    expect(refusal(await api.request('POST', `/v1/destinations/${ours}/rotate-secret`, { key: token, body: {} }))).toEqual({
      status: 403,
      code: 'portal_read_only',
    });
    expect((await api.request('GET', `/v1/portal-sessions/current`, { key: token })).body).toMatchObject({ read_only: true });
  });

  it('never reaches what the portal does not offer: events, the catalog’s writes, other sessions', async () => {
    const { token } = await session({});
    for (const [method, path, body] of [
      ['POST', '/v1/events', { type: 'contact.created', data: {} }],
      ['PUT', '/v1/event-types/deal.won', {}],
      ['POST', '/v1/portal-sessions', {}],
      ['GET', '/v1/portal-settings', undefined],
    ] as const) {
      expect(refusal(await api.request(method, path, { key: token, ...(body ? { body } : {}) }))).toEqual({ status: 403, code: 'not_available_in_portal' });
    }
  });

  it('is refused once revoked, and once expired', async () => {
    const revoked = await session({});
    expect((await api.request('GET', '/v1/destinations', { key: revoked.token })).status).toBe(200);
    expect((await api.request('DELETE', `/v1/portal-sessions/${revoked.id}`, { key })).status).toBe(204);
    const afterRevoke = await api.request('GET', '/v1/destinations', { key: revoked.token });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.error.message).toBe('Portal session revoked');

    const short = await session({ expires_in_seconds: 1 });
    const expired = await eventually(async () => {
      const answer = await api.request('GET', '/v1/destinations', { key: short.token });
      return answer.status === 401 ? answer : undefined;
    }, 'the session to expire');
    expect(expired.body.error.message).toBe('Portal session expired');
  });

  it("is another workspace's business: a foreign destination cannot be put in a session, a foreign session cannot be revoked", async () => {
    const other = await api.createWorkspace('Other');
    expect(refusal(await api.request('POST', '/v1/portal-sessions', { key: other.key, body: { destination_ids: [ours] } }))).toEqual({
      status: 404,
      code: 'not_found',
    });
    const mine = await session({});
    expect((await api.request('DELETE', `/v1/portal-sessions/${mine.id}`, { key: other.key })).status).toBe(404);
    const forged = `${mine.token.slice(0, -4)}AAAA`;
    expect((await api.request('GET', '/v1/destinations', { key: forged })).body.error.message).toBe('Invalid portal session token');
  });

  it('lets the workspace say who may frame the portal; the console itself may not be framed', async () => {
    const bad = await api.request('PUT', '/v1/portal-settings', { key, body: { frame_ancestors: ["https://a.example; script-src 'unsafe-inline'"] } });
    expect(refusal(bad)).toEqual({ status: 422, code: 'invalid_frame_ancestor' });
    const good = await api.request('PUT', '/v1/portal-settings', {
      key,
      body: { frame_ancestors: ['https://app.platform.example', 'https://*.platform.example'] },
    });
    expect(good.body).toEqual({ frame_ancestors: ['https://app.platform.example', 'https://*.platform.example'] });

    const { url } = await session({});
    const portal = await fetch(url);
    const csp = portal.headers.get('content-security-policy')!;
    expect(csp).toContain('frame-ancestors https://app.platform.example https://*.platform.example');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const consolePage = await fetch(`${api.baseUrl}/console`);
    expect(consolePage.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(consolePage.headers.get('x-frame-options')).toBe('DENY');
  });
});
