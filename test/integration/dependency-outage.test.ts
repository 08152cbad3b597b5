// Dependencies that go away: Temporal or PostgreSQL unreachable answers 503 with Retry-After, and the API recovers by itself.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { freePort } from '../../src/dev/free-port';

/** A TCP relay to PostgreSQL that the test can cut and restore, as a database restart would look to the API. */
async function relayTo(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const port = await freePort();
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      }).listen(port, '127.0.0.1', () => resolve());
    });
  const cut = async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  };
  await open();
  return { port, cut, restore: open, close: cut };
}

describe('Temporal unreachable', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    // Nothing listens there: every start fails fast or times out.
    api = await startApiHarness({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, HOOKLINE_TEMPORAL_START_TIMEOUT: '1s' });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers POST /v1/events 503 temporal_unavailable with Retry-After, within the bound, and /readyz 503', async () => {
    const { key } = await api.createWorkspace('no temporal');
    const response = await api.request('POST', '/v1/events', { key, body: { type: 'contact.created', data: {} }, headers: { 'idempotency-key': 'outage-1' } });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('temporal_unavailable');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const ready = await api.request('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.temporal.ok).toBe(false);
  });
});

describe('PostgreSQL restarting', () => {
  let api: ApiHarness;
  let relay: Awaited<ReturnType<typeof relayTo>>;

  beforeAll(async () => {
    const direct = new URL(process.env.HOOKLINE_TEST_DB_URL!);
    relay = await relayTo({ host: direct.hostname, port: Number(direct.port) });
    direct.port = String(relay.port);
    api = await startApiHarness({ DATABASE_URL: direct.toString() });
  });

  afterAll(async () => {
    await api?.close();
    await relay?.close();
  });

  it('answers 503 database_unavailable while the database is away, and serves again once it is back', async () => {
    const { key } = await api.createWorkspace('db restart');
    expect((await api.request('GET', '/v1/destinations', { key })).status).toBe(200);

    await relay.cut();
    const during = await api.request('GET', '/v1/destinations', { key });
    expect(during.status).toBe(503);
    expect(during.body.error.code).toBe('database_unavailable');
    expect(during.headers.get('retry-after')).toEqual(expect.any(String));
    expect((await api.request('GET', '/readyz')).status).toBe(503);

    await relay.restore();
    let after = await api.request('GET', '/v1/destinations', { key });
    // The pool may hand out one connection that died with the relay before it reconnects.
    for (let tries = 0; after.status !== 200 && tries < 20; tries++) after = await api.request('GET', '/v1/destinations', { key });
    expect(after.status).toBe(200);
    expect((await api.request('GET', '/readyz')).status).toBe(200);
  });
});
