// The standalone process (src/standalone/main.ts): the API and a worker in one process, event starts eager.
import { freePort } from '../../src/dev/free-port';
import { apiClient, type ApiClient } from '../support/api-harness';
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { eventually } from '../support/hookline-harness';
import { scrape } from '../support/prometheus';
import { startReceiver, type Receiver } from '../support/receiver';
import { relayToAddress, type TcpRelay } from '../support/tcp-relay';
import { TEST_ADMIN_TOKEN, testEnv } from '../support/test-env';
import { startStandaloneProcess, type WorkerProcess } from '../support/worker-process';

describe('the standalone process', () => {
  let temporal: TcpRelay;
  let env: Record<string, string>;
  let standalone: WorkerProcess;
  let api: ApiClient;
  let receiver: Receiver;

  beforeAll(async () => {
    // Both of its Temporal connections go through a relay the spec can cut, as a restarting frontend would look.
    const direct = testEnv().TEMPORAL_ADDRESS!;
    temporal = await relayToAddress(direct);
    const port = await freePort();
    // A task queue of its own, so no other spec's worker takes its workflows.
    env = testEnv({
      PORT: String(port),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporal.port}`,
      HOOKLINE_TASK_QUEUE: `standalone-${port}`,
      HOOKLINE_TEMPORAL_START_TIMEOUT: '2s',
    });
    standalone = await startStandaloneProcess(env);
    api = apiClient(`http://127.0.0.1:${port}`, TEST_ADMIN_TOKEN);
    receiver = await startReceiver(() => ({ status: 200 }));
  });

  afterAll(async () => {
    await standalone?.stop();
    await receiver?.close();
    await temporal?.close();
  });

  it('delivers an event whose start handed the first workflow task straight to its own worker, and says so on /metrics', async () => {
    const { key } = await api.createWorkspace('standalone');
    await makeDestination(api, key, { url: `${receiver.url}/hooks`, event_types: ['contact.*'] });
    const eventId = await postEvent(api, key, { type: 'contact.created', data: { id: 'c_1' } });
    const delivery = await onlyDeliveryOf(api, key, eventId, 'succeeded');
    expect(delivery.attempt_count).toBe(1);
    const [request] = await receiver.waitForRequests(1);
    expect(JSON.parse(request!.body).id).toBe(eventId);

    const metrics = await scrape(`${api.baseUrl}/metrics`);
    expect(metrics.value('hookline_events_ingested_total', { replayed: 'false' })).toBe(1);
    expect(metrics.value('hookline_event_starts_total', { result: 'eager' })).toBe(1);
    expect(metrics.value('hookline_outbox_events', {})).toBe(0);
    // The worker's series are served by the same /metrics.
    expect(metrics.value('hookline_attempts_total', { outcome: '2xx' })).toBe(1);
  });

  it('keeps accepting events while Temporal is away, shows them waiting on /metrics, and delivers each once it is back', async () => {
    const { key } = await api.createWorkspace('standalone outage');
    await makeDestination(api, key, { url: `${receiver.url}/outage`, event_types: ['contact.*'] });
    const before = receiver.requests.length;

    await temporal.cut();
    const accepted: string[] = [];
    for (let n = 0; n < 5; n++) accepted.push(await postEvent(api, key, { type: 'contact.created', data: { id: `c_${n}` } }));
    // A retry of the first with its key is answered as the same event, Temporal or not.
    const again = await api.request('POST', '/v1/events', {
      key,
      body: { type: 'contact.created', data: { id: 'c_k' } },
      headers: { 'idempotency-key': 'outage-1' },
    });
    const replay = await api.request('POST', '/v1/events', {
      key,
      body: { type: 'contact.created', data: { id: 'c_k' } },
      headers: { 'idempotency-key': 'outage-1' },
    });
    expect([again.status, replay.status, replay.headers.get('idempotent-replayed')]).toEqual([202, 202, 'true']);
    expect(replay.body.event_id).toBe(again.body.event_id);
    accepted.push(again.body.event_id as string);
    const waiting = await scrape(`${api.baseUrl}/metrics`);
    expect(waiting.value('hookline_outbox_events', {})).toBe(6);
    expect(waiting.value('hookline_outbox_oldest_age_seconds', {})).toBeGreaterThan(0);
    expect(receiver.requests.length).toBe(before);

    await temporal.restore();
    for (const eventId of accepted) await onlyDeliveryOf(api, key, eventId, 'succeeded', 60_000);
    const paths = receiver.requests.slice(before).map((request) => request.path);
    expect(paths).toEqual(Array(6).fill('/outage'));
    expect((await scrape(`${api.baseUrl}/metrics`)).value('hookline_outbox_events', {})).toBe(0);
  }, 90_000);

  it('delivers every event it had accepted when it is SIGKILLed with their first attempts in flight, once it runs again', async () => {
    const { key } = await api.createWorkspace('standalone crash');
    // Slow answers, so the attempts the eager starts began are still at the receiver when the process dies.
    receiver.respondWith((request) => (request.path === '/crash' ? { status: 200, delayMs: 3_000 } : { status: 200 }));
    await makeDestination(api, key, { url: `${receiver.url}/crash`, event_types: ['order.*'] });
    const before = receiver.requests.length;
    const accepted: string[] = [];
    for (let n = 0; n < 5; n++) accepted.push(await postEvent(api, key, { type: 'order.placed', data: { n } }));
    await eventually(async () => (receiver.requests.length > before ? true : undefined), 'a first attempt at the receiver');

    await standalone.crash();
    receiver.respondWith(() => ({ status: 200 }));
    // The same process again (same port, same task queue): the lost workflow tasks time out and come back to it.
    standalone = await startStandaloneProcess(env);
    for (const eventId of accepted) await onlyDeliveryOf(api, key, eventId, 'succeeded', 90_000);
    const receivedIds = receiver.requests.slice(before).map((request) => JSON.parse(request.body).id as string);
    expect(accepted.filter((id) => !receivedIds.includes(id))).toEqual([]);
    // The kill interrupted an attempt (its answer was 3 s away), which was then made again: a duplicate, not a loss.
    expect(receivedIds.length).toBeGreaterThan(new Set(receivedIds).size);
  }, 150_000);
});
