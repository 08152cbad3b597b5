import { loadConfig } from '../../src/config/config';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { eventWhen, makeDestination, postEvent } from '../support/delivery-helpers';
import { eventually } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { testEnv } from '../support/test-env';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

/*
 * A killed worker's in-flight attempt is retried only when its start-to-close timeout (destination timeout
 * + 15 s) runs out, so the destination timeout is short and the test's own timeout generous.
 */
const DESTINATION_TIMEOUT_SECONDS = 2;
const RECEIVER_DELAY_MS = 1_500;
const EVENTS_BEFORE_CRASH = 24;
const EVENTS_WHILE_DOWN = 6;
const RECOVERY_TIMEOUT_MS = 150_000;

describe('crash safety', () => {
  const env = testEnv({ HOOKLINE_RETRY_SCHEDULE: '500ms', HOOKLINE_RETRY_JITTER: '0' });
  let api: ApiHarness;
  let receiver: Receiver;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    api = await startApiHarness({}, loadConfig(env));
    // Slow, so that many deliveries are mid-request when the worker dies.
    receiver = await startReceiver(() => ({ status: 200, delayMs: RECEIVER_DELAY_MS }));
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await receiver?.close();
    await api?.close();
  });

  it('delivers every accepted event at least once when the worker process is SIGKILLed mid-delivery', async () => {
    workers.push(await startWorkerProcess(env));
    const { key } = await api.createWorkspace();
    const destination = await makeDestination(api, key, {
      url: `${receiver.url}/crash`,
      event_types: ['*'],
      timeout_seconds: DESTINATION_TIMEOUT_SECONDS,
    });

    const accepted: string[] = [];
    for (let n = 0; n < EVENTS_BEFORE_CRASH; n++) accepted.push(await postEvent(api, key, { type: 'order.placed', data: { n } }));
    // Every event planned (its rows committed) and some requests already at the receiver: deliveries are in flight.
    await Promise.all(accepted.map((id) => eventWhen(api, key, id, (e) => e.deliveries.length === 1, `event ${id} to be planned`)));
    await receiver.waitForRequests(5);

    await workers[0]!.crash();
    const unfinished = await api.db
      .selectFrom('deliveries')
      .select('id')
      .where('destination_id', '=', destination.id)
      .where('status', '!=', 'succeeded')
      .execute();
    // The kill must have interrupted something, or this test proves nothing.
    expect(unfinished.length).toBeGreaterThan(0);

    // Events accepted while no worker runs are durable in Temporal and wait for one.
    for (let n = 0; n < EVENTS_WHILE_DOWN; n++) accepted.push(await postEvent(api, key, { type: 'order.placed', data: { n: 100 + n } }));
    workers.push(await startWorkerProcess(env));

    const deliveredEvents = await eventually(
      async () => {
        const ids = new Set(receiver.requests.map((r) => JSON.parse(r.body).id as string));
        return accepted.every((id) => ids.has(id)) ? ids : undefined;
      },
      'every accepted event at the receiver',
      RECOVERY_TIMEOUT_MS,
    );
    expect([...deliveredEvents].sort()).toEqual([...accepted].sort());
    // One delivery per event, each under its own stable webhook-id; repeats of an id are allowed, losses are not.
    const webhookIds = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
    expect(webhookIds.size).toBe(accepted.length);
    const rows = await eventually(async () => {
      const found = await api.db.selectFrom('deliveries').select(['id', 'status']).where('destination_id', '=', destination.id).execute();
      return found.every((row) => row.status === 'succeeded') ? found : undefined;
    }, 'every delivery to be recorded as succeeded');
    expect(new Set(rows.map((row) => row.id))).toEqual(webhookIds);
  }, 240_000);
});
