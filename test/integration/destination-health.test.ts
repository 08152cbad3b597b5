import { loadConfig } from '../../src/config/config';
import { healthWorkflowId } from '../../src/domain/workflow-ids';
import { healthQuery } from '../../src/contracts/health';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { deliveryWhen, makeDestination, onlyDeliveryOf, postEvent, quietPeriod } from '../support/delivery-helpers';
import { eventually } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { testEnv } from '../support/test-env';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

// One release per second makes "oldest first" observable one request at a time.
const env = testEnv({ HOOKLINE_RETRY_SCHEDULE: '200ms', HOOKLINE_RETRY_JITTER: '0', HOOKLINE_HELD_RELEASE_RATE: '1', HOOKLINE_RECOVERY_PROBE_MIN: '1s' });

describe('destination health', () => {
  let api: ApiHarness;
  let worker: WorkerProcess;
  let receiver: Receiver;
  let healthy = false;
  let workspace: { id: string; key: string };

  beforeAll(async () => {
    api = await startApiHarness({}, loadConfig(env));
    worker = await startWorkerProcess(env);
    receiver = await startReceiver(() => (healthy ? { status: 200, body: 'ok' } : { status: 500, body: 'down' }));
  });

  beforeEach(async () => {
    healthy = false;
    receiver.requests.length = 0;
    workspace = await api.createWorkspace();
  });

  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
    await api?.close();
  });

  const failingDestination = (extra: Record<string, unknown> = {}) =>
    makeDestination(api, workspace.key, { url: `${receiver.url}/crm`, event_types: ['contact.*'], max_attempts: 1, failure_threshold: 3, ...extra });

  /** Posts one event and waits for its delivery to settle, so streaks count in a known order. */
  async function deliverOne(n: number, status: string): Promise<{ eventId: string; deliveryId: string }> {
    const eventId = await postEvent(api, workspace.key, { type: 'contact.updated', data: { n } });
    const delivery = await onlyDeliveryOf(api, workspace.key, eventId, status);
    return { eventId, deliveryId: delivery.id };
  }

  const health = async (destinationId: string) => (await api.request('GET', `/v1/destinations/${destinationId}/health`, { key: workspace.key })).body;

  it('pauses a destination after the threshold of consecutive failures and holds what comes next', async () => {
    const destination = await failingDestination();
    for (const n of [1, 2, 3]) await deliverOne(n, 'failed');
    await eventually(async () => ((await health(destination.id)).status === 'auto_disabled' ? true : undefined), 'the destination to be auto-disabled');
    const paused = await health(destination.id);
    expect(paused).toMatchObject({ status: 'auto_disabled', consecutive_failures: 3, held_count: 0 });
    expect(paused.reason).toMatch(/3 consecutive failed deliveries/);
    expect((await api.request('GET', `/v1/destinations/${destination.id}`, { key: workspace.key })).body.status).toBe('auto_disabled');

    const requestsBefore = receiver.requests.length;
    await deliverOne(4, 'held');
    await deliverOne(5, 'held');
    await quietPeriod(1_000);
    expect(receiver.requests.length).toBe(requestsBefore);
    expect((await health(destination.id)).held_count).toBe(2);
  });

  it('releases held deliveries oldest first when re-enabled, and they succeed', async () => {
    const destination = await failingDestination();
    for (const n of [1, 2, 3]) await deliverOne(n, 'failed');
    await eventually(async () => ((await health(destination.id)).status === 'auto_disabled' ? true : undefined), 'auto-disable');
    const held = [await deliverOne(4, 'held'), await deliverOne(5, 'held'), await deliverOne(6, 'held')];

    healthy = true;
    receiver.requests.length = 0;
    const reenabled = await api.request('PATCH', `/v1/destinations/${destination.id}`, { key: workspace.key, body: { enabled: true } });
    expect(reenabled.body.status).toBe('active');
    const arrived = await receiver.waitForRequests(3);
    expect(arrived.map((request) => JSON.parse(request.body).data.n)).toEqual([4, 5, 6]);
    for (const { deliveryId } of held) {
      await deliveryWhen(api, workspace.key, deliveryId, (d) => d.status === 'succeeded', `held delivery ${deliveryId} to succeed`);
    }
    expect(await health(destination.id)).toMatchObject({ status: 'active', consecutive_failures: 0, held_count: 0 });
    const stats = await api.request('GET', `/v1/destinations/${destination.id}/stats`, { key: workspace.key });
    expect(stats.body).toMatchObject({ succeeded: 3, failed: 3 });
  });

  it('resets the count on a success in between', async () => {
    const destination = await failingDestination();
    await deliverOne(1, 'failed');
    await deliverOne(2, 'failed');
    healthy = true;
    await deliverOne(3, 'succeeded');
    healthy = false;
    await deliverOne(4, 'failed');
    await deliverOne(5, 'failed');
    await quietPeriod(500);
    expect(await health(destination.id)).toMatchObject({ status: 'active', consecutive_failures: 2 });
  });

  it('still delivers every held delivery after the worker is killed and restarted while they wait', async () => {
    const destination = await failingDestination();
    for (const n of [1, 2, 3]) await deliverOne(n, 'failed');
    await eventually(async () => ((await health(destination.id)).status === 'auto_disabled' ? true : undefined), 'auto-disable');
    const held = [await deliverOne(4, 'held'), await deliverOne(5, 'held')];

    await worker.crash();
    worker = await startWorkerProcess(env);
    healthy = true;
    receiver.requests.length = 0;
    await api.request('PATCH', `/v1/destinations/${destination.id}`, { key: workspace.key, body: { enabled: true } });
    await receiver.waitForRequests(2);
    for (const { deliveryId } of held) {
      await deliveryWhen(api, workspace.key, deliveryId, (d) => d.status === 'succeeded', `held delivery ${deliveryId} to succeed`);
    }
  });

  it('announces the pause as webhook.auto_disabled to another subscribed destination, never to the paused one', async () => {
    const watcher = await startReceiver();
    try {
      await makeDestination(api, workspace.key, { url: `${watcher.url}/alerts`, event_types: ['webhook.auto_disabled'] });
      const destination = await failingDestination({ event_types: ['contact.*', 'webhook.*'] });
      for (const n of [1, 2, 3]) await deliverOne(n, 'failed');
      const [alert] = await watcher.waitForRequests(1);
      const body = JSON.parse(alert!.body);
      expect(body.type).toBe('webhook.auto_disabled');
      expect(body.data).toMatchObject({ destination_id: destination.id, consecutive_failures: 3 });
      expect(body.data.reason).toMatch(/consecutive failed deliveries/);
      await quietPeriod(500);
      expect(receiver.requests.every((request) => JSON.parse(request.body).type !== 'webhook.auto_disabled')).toBe(true);
      expect((await health(destination.id)).held_count).toBe(0);
    } finally {
      await watcher.close();
    }
  });

  it("answers GET /health with what the health workflow's query says", async () => {
    const destination = await failingDestination();
    for (const n of [1, 2, 3]) await deliverOne(n, 'failed');
    await eventually(async () => ((await health(destination.id)).status === 'auto_disabled' ? true : undefined), 'auto-disable');
    // The pause commits in PostgreSQL a moment before the workflow has the activity's answer: they agree once it has.
    // What is held comes from the store, not from the workflow.
    const { held_count: _held, held_oldest_at: _oldest, ...answer } = await health(destination.id);
    const query = await eventually(async () => {
      const view = await api.temporal.workflow.getHandle(healthWorkflowId(destination.id)).query(healthQuery);
      return view.status === 'auto_disabled' ? view : undefined;
    }, 'the health workflow to have the pause');
    expect(answer).toEqual(query);
  });

  it('cancels held deliveries when they are discarded or the destination is deleted', async () => {
    const destination = await failingDestination();
    for (const n of [1, 2, 3]) await deliverOne(n, 'failed');
    await eventually(async () => ((await health(destination.id)).status === 'auto_disabled' ? true : undefined), 'auto-disable');
    const discarded = await deliverOne(4, 'held');
    const discard = await api.request('POST', `/v1/destinations/${destination.id}/held/discard`, { key: workspace.key });
    expect(discard.body).toEqual({ discarded: 1 });
    await deliveryWhen(
      api,
      workspace.key,
      discarded.deliveryId,
      (d) => d.status === 'cancelled' && d.completed_at !== null,
      'the discarded delivery to end cancelled',
    );

    const orphaned = await deliverOne(5, 'held');
    expect((await api.request('DELETE', `/v1/destinations/${destination.id}`, { key: workspace.key })).status).toBe(204);
    await deliveryWhen(
      api,
      workspace.key,
      orphaned.deliveryId,
      (d) => d.status === 'cancelled' && d.completed_at !== null,
      'the held delivery to end cancelled',
    );
    expect(receiver.requests.length).toBe(3);
  });

  it('re-enables an auto-disabled destination by itself when auto_recover is on and a probe succeeds', async () => {
    const destination = await failingDestination({ auto_recover: true });
    for (const n of [1, 2, 3]) await deliverOne(n, 'failed');
    await eventually(async () => ((await health(destination.id)).status === 'auto_disabled' ? true : undefined), 'auto-disable');
    const held = await deliverOne(4, 'held');
    healthy = true;
    await deliveryWhen(api, workspace.key, held.deliveryId, (d) => d.status === 'succeeded', 'the held delivery to be released after recovery', 45_000);
    expect(await health(destination.id)).toMatchObject({ status: 'active', consecutive_failures: 0 });
    const probe = receiver.requests.find((request) => JSON.parse(request.body).type === 'webhook.test');
    expect(probe).toBeDefined();
  });
});
