// OAuth 2.0 client credentials against a real token server on loopback: one token per lifetime shared by every attempt, a 401 renews it once, a failing endpoint fails the attempt by name.
import { Client, Connection } from '@temporalio/client';
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { captureLogs } from '../support/log-capture';
import { CLIENT_ID, CLIENT_SECRET, startTokenServer } from '../support/token-server';

const MASK = '••••••';

describe('destinations with OAuth 2.0 client credentials', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  // The receiver takes only the tokens it has not revoked.
  const revoked = new Set<string>();
  const logs = captureLogs('trace');
  const eventIds: string[] = [];

  beforeAll(async () => {
    hookline = await startHookline({}, { logger: logs.logger });
    receiver = await startReceiver((request) => {
      const token = request.headers.authorization?.replace(/^Bearer /, '');
      return token && token.startsWith('tok-') && !revoked.has(token) ? { status: 200 } : { status: 401, body: 'token refused' };
    });
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  async function oauthDestination(tokenUrl: string, oauth: Record<string, unknown> = {}) {
    const { key } = await hookline.createWorkspace();
    const path = `/${Math.random().toString(36).slice(2)}`;
    const created = await makeDestination(hookline, key, {
      url: `${receiver.url}${path}`,
      event_types: ['*'],
      oauth: { token_url: tokenUrl, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...oauth },
    });
    const deliver = async (status = 'succeeded') => {
      const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { email: 'zoë@example.com' } });
      eventIds.push(eventId);
      return onlyDeliveryOf(hookline, key, eventId, status);
    };
    return { key, created, path, deliver };
  }

  it('fetches one token (client authenticated by Basic) and sends it as Bearer with every delivery until it is due for renewal', async () => {
    const tokens = await startTokenServer();
    try {
      const { created, path, deliver } = await oauthDestination(tokens.url, { scope: 'contacts.write', audience: 'https://crm.example.com' });
      expect(created.body.oauth).toEqual({
        token_url: tokens.url,
        client_id: CLIENT_ID,
        client_secret: MASK,
        scope: 'contacts.write',
        audience: 'https://crm.example.com',
        client_auth: 'basic',
      });

      for (let i = 0; i < 4; i++) await deliver();

      expect(tokens.requests).toHaveLength(1);
      const [request] = tokens.requests;
      expect(request!.authorization).toBe(`Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${CLIENT_SECRET}`).toString('base64')}`);
      expect(Object.fromEntries(request!.form)).toEqual({ grant_type: 'client_credentials', scope: 'contacts.write', audience: 'https://crm.example.com' });
      const sent = receiver.requests.filter((r) => r.path === path);
      expect(sent.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
      const row = await hookline.db.selectFrom('destination_tokens').selectAll().where('destination_id', '=', created.id).executeTakeFirstOrThrow();
      expect(row.fetches).toBe(1);
      expect(row.access_token_sealed).not.toContain('tok-1');
    } finally {
      await tokens.close();
    }
  });

  it('sends the client in the form body when asked, and fetches a new token once the last is due for renewal', async () => {
    const tokens = await startTokenServer({ expiresIn: 2 });
    try {
      const { deliver } = await oauthDestination(tokens.url, { client_auth: 'body' });
      await deliver();
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      await deliver();

      expect(tokens.requests.map((r) => r.authorization)).toEqual([undefined, undefined]);
      expect(Object.fromEntries(tokens.requests[0]!.form)).toEqual({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
      expect(tokens.issued).toEqual(['tok-1', 'tok-2']);
    } finally {
      await tokens.close();
    }
  });

  it('renews the token once when the receiver answers 401, within the same attempt', async () => {
    const tokens = await startTokenServer();
    try {
      const { path, deliver } = await oauthDestination(tokens.url);
      await deliver();
      revoked.add('tok-1');

      const delivery = await deliver();

      expect(delivery.attempts).toHaveLength(1);
      expect(delivery.attempts[0].response.status).toBe(200);
      expect(receiver.requests.filter((r) => r.path === path).map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
      expect(tokens.issued).toEqual(['tok-1', 'tok-2']);
    } finally {
      await tokens.close();
    }
  });

  it('fails the attempt as oauth_token_failed when the endpoint refuses, sends nothing, and shows neither secret nor its echo', async () => {
    const tokens = await startTokenServer({ refuse: true });
    try {
      const { key, created, path } = await oauthDestination(tokens.url);
      await hookline.request('PATCH', `/v1/destinations/${created.id}`, { key, body: { max_attempts: 1 } });
      const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { id: 'c_1' } });

      const delivery = await onlyDeliveryOf(hookline, key, eventId, 'failed');

      expect(delivery.attempts.map((a: { error: { message: string } | null }) => a.error?.message)).toEqual(['oauth_token_failed: 400 invalid_client']);
      expect(receiver.requests.filter((r) => r.path === path)).toEqual([]);
      expect(JSON.stringify(delivery)).not.toContain(CLIENT_SECRET);
      expect(JSON.stringify((await hookline.request('GET', `/v1/destinations/${created.id}`, { key })).body)).not.toContain(CLIENT_SECRET);
    } finally {
      await tokens.close();
    }
  });

  it('keeps the stored secret when a PATCH sends the mask back, and refuses a token URL the SSRF policy refuses', async () => {
    const tokens = await startTokenServer();
    let strict: HooklineHarness | undefined;
    try {
      const { key, created, deliver } = await oauthDestination(tokens.url);
      const patched = await hookline.request('PATCH', `/v1/destinations/${created.id}`, {
        key,
        body: { oauth: { token_url: tokens.url, client_id: CLIENT_ID, client_secret: MASK, scope: 'contacts.read' } },
      });
      expect(patched.body.oauth).toMatchObject({ client_secret: MASK, scope: 'contacts.read' });
      await deliver();
      expect(Object.fromEntries(tokens.requests[0]!.form)).toEqual({ grant_type: 'client_credentials', scope: 'contacts.read' });

      // A deployment that refuses private addresses: its own API (started after the delivery above, since its worker
      // shares the task queue and would refuse the loopback receiver).
      strict = await startHookline({ HOOKLINE_ALLOW_PRIVATE_DESTINATIONS: 'false' });
      const strictKey = (await strict.createWorkspace()).key;
      const refused = await strict.request('POST', '/v1/destinations', {
        key: strictKey,
        body: { name: 'x', url: 'https://hooks.example.com/in', oauth: { token_url: 'http://127.0.0.1:9/token', client_id: 'a', client_secret: 'b' } },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error.details).toEqual([expect.objectContaining({ path: 'body.oauth.token_url' })]);
    } finally {
      await strict?.close();
      await tokens.close();
    }
  });

  it('leaves neither the client secret nor a token in any log line or in the event workflows read without the key', async () => {
    const connection = await Connection.connect({ address: hookline.config.temporal.address });
    try {
      const plain = new Client({ connection, namespace: hookline.config.temporal.namespace });
      const histories = await Promise.all(eventIds.map(async (eventId) => JSON.stringify(await plain.workflow.getHandle(`event-${eventId}`).fetchHistory())));
      expect(eventIds.length).toBeGreaterThan(3);
      expect(logs.entries().length).toBeGreaterThan(0);
      for (const text of [logs.text(), ...histories]) {
        expect(text).not.toContain(CLIENT_SECRET);
        expect(text).not.toMatch(/Bearer tok-|"tok-\d+"/);
      }
    } finally {
      await connection.close();
    }
  });
});
