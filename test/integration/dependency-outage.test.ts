// Dependencies that go away: Temporal or PostgreSQL unreachable answers 503 with Retry-After, and the API recovers by itself.
import { freePort } from '../../src/dev/free-port';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { deliveryWhen, eventWhen, makeDestination, postEvent } from '../support/delivery-helpers';
import { startReceiver, type Receiver } from '../support/receiver';
import { startWithRelayedWorkerDatabase, type RelayedWorkerStack } from '../support/relayed-worker';
import { relayTo, type TcpRelay } from '../support/tcp-relay';

describe('Temporal unreachable', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    // Nothing listens there: every start fails fast or times out.
    api = await startApiHarness({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, HOOKLINE_TEMPORAL_START_TIMEOUT: '1s' });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('still accepts events (the outbox holds them), answers a test send 503 temporal_unavailable, and /readyz 503', async () => {
    const { key } = await api.createWorkspace('no temporal');
    const response = await api.request('POST', '/v1/events', { key, body: { type: 'contact.created', data: {} }, headers: { 'idempotency-key': 'outage-1' } });
    expect(response.status).toBe(202);
    const event = await api.request('GET', `/v1/events/${response.body.event_id}`, { key });
    expect(event.body).toMatchObject({ status: 'accepted', deliveries: [] });

    const destination = await api.request('POST', '/v1/destinations', { key, body: { name: 'CRM', url: 'https://crm.example.com/hooks', event_types: ['*'] } });
    const test = await api.request('POST', `/v1/destinations/${destination.body.id}/test`, { key, body: {} });
    expect(test.status).toBe(503);
    expect(test.body.error.code).toBe('temporal_unavailable');
    expect(Number(test.headers.get('retry-after'))).toBeGreaterThan(0);
    // The test was taken back: nothing the person was told failed is sent later.
    const tests = await api.db.selectFrom('event_outbox').select('event_id').where('test_destination_id', '=', destination.body.id).execute();
    expect(tests).toEqual([]);

    const ready = await api.request('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.temporal.ok).toBe(false);
  });
});

describe('PostgreSQL restarting', () => {
  let api: ApiHarness;
  let relay: TcpRelay;

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

describe('PostgreSQL away during a delivery’s retry', () => {
  // The worker reaches PostgreSQL through the relay; the API (which the test reads through) directly.
  let stack: RelayedWorkerStack;
  let api: ApiHarness;
  let receiver: Receiver;

  beforeAll(async () => {
    stack = await startWithRelayedWorkerDatabase({ HOOKLINE_RETRY_SCHEDULE: '3s,1s', HOOKLINE_RETRY_JITTER: '0' });
    api = stack.api;
    receiver = await startReceiver(() => ({ status: 500, body: 'down' }));
  });

  afterAll(async () => {
    await receiver?.close();
    await stack?.close();
  });

  it('does not use up one of the receiver’s attempts: every one of max_attempts reaches the receiver once the database is back', async () => {
    const { key } = await api.createWorkspace('db away mid-schedule');
    await makeDestination(api, key, { url: `${receiver.url}/hooks`, event_types: ['*'], max_attempts: 3 });
    const eventId = await postEvent(api, key, { type: 'contact.created', data: { email: 'ada@example.com' } });
    const event = await eventWhen(api, key, eventId, (e) => e.deliveries.length === 1, 'the event planned');
    const deliveryId = event.deliveries[0].id;
    // Attempt 1 answered 500 and was recorded; attempt 2 is due in 3 s, and the database goes away before then.
    await deliveryWhen(api, key, deliveryId, (d) => d.attempts.length === 1, 'the first attempt recorded');
    await stack.database.cut();
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    expect(receiver.requests).toHaveLength(1);
    await stack.database.restore();

    const failed = await deliveryWhen(api, key, deliveryId, (d) => d.status === 'failed', 'the delivery to fail after its last attempt', 60_000);
    expect(failed.attempts.map((a: { attempt_number: number }) => a.attempt_number)).toEqual([1, 2, 3]);
    expect(receiver.requests).toHaveLength(3);
  });
});
