// Delivery on the cluster: requests spread over both API replicas, work over both workers, as a user sees it.
import { cluster, type Cluster } from '../support/cluster';
import { deliveryWhen, eventWhen, makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { eventually } from '../support/hookline-harness';
import { startReceiver, type Receiver, type Responder } from '../support/receiver';

describe('Hookline on the cluster', () => {
  let hookline: Cluster;
  const receivers: Receiver[] = [];

  /** A workspace (made on one replica) with a destination at a fresh receiver answering as `responder` says. */
  async function destinationAnswering(responder?: Responder, settings: Record<string, unknown> = {}) {
    const receiver = await startReceiver(responder);
    receivers.push(receiver);
    const { key } = await hookline.spread.createWorkspace();
    const destination = await makeDestination(hookline.spread, key, { url: `${receiver.url}/hook`, event_types: ['*'], ...settings });
    return { receiver, key, destination };
  }

  beforeAll(() => {
    hookline = cluster();
  });
  afterAll(() => Promise.all(receivers.map((r) => r.close())));

  it('delivers 40 events posted across both replicas, each once, with both workers making attempts', async () => {
    const { receiver, key } = await destinationAnswering();
    const before = await hookline.attemptsByWorker();

    const ids = await Promise.all(Array.from({ length: 40 }, (_, n) => postEvent(hookline.spread, key, { type: 'contact.created', data: { n } })));
    const requests = await receiver.waitForRequests(40, 60_000);

    expect(new Set(requests.map((r) => JSON.parse(r.body).id))).toEqual(new Set(ids));
    const after = await hookline.attemptsByWorker();
    expect(after[0]).toBeGreaterThan(before[0]);
    expect(after[1]).toBeGreaterThan(before[1]);
  });

  it('retries 503s and delivers on the third attempt under one webhook-id', async () => {
    const { receiver, key } = await destinationAnswering((_, index) => (index < 2 ? { status: 503 } : { status: 200 }));

    const eventId = await postEvent(hookline.replicas[0], key, { type: 'contact.updated', data: { id: 'c_1' } });
    const delivery = await onlyDeliveryOf(hookline.replicas[1], key, eventId, 'succeeded');

    expect(delivery.attempts.map((a: { response: { status: number } }) => a.response.status)).toEqual([503, 503, 200]);
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([delivery.id, delivery.id, delivery.id]);
  });

  it('delivers a failed delivery retried by hand on the other replica once the receiver is fixed', async () => {
    let fixed = false;
    const { key } = await destinationAnswering(() => (fixed ? { status: 200 } : { status: 500 }), { max_attempts: 1 });
    const eventId = await postEvent(hookline.replicas[0], key, { type: 'contact.updated', data: { id: 'c_2' } });
    const failed = await onlyDeliveryOf(hookline.replicas[0], key, eventId, 'failed');

    fixed = true;
    const retry = await hookline.replicas[1].request('POST', `/v1/deliveries/${failed.id}/retry`, { key });

    expect(retry.status).toBe(202);
    const delivered = await deliveryWhen(hookline.replicas[0], key, failed.id, (d) => d.status === 'succeeded', 'the retried delivery to succeed');
    expect(delivered.attempts.map((a: { response: { status: number } }) => a.response.status)).toEqual([500, 200]);
  });

  it('answers /healthz and /readyz on both replicas, and pauses a destination after its failure threshold', async () => {
    for (const replica of hookline.replicas) {
      expect((await replica.request('GET', '/healthz')).status).toBe(200);
      expect((await replica.request('GET', '/readyz')).status).toBe(200);
    }
    const { key, destination } = await destinationAnswering(() => ({ status: 500 }), { max_attempts: 1, failure_threshold: 2 });
    for (const n of [1, 2]) {
      const eventId = await postEvent(hookline.spread, key, { type: 'contact.updated', data: { n } });
      await onlyDeliveryOf(hookline.spread, key, eventId, 'failed');
    }

    const health = await eventually(async () => {
      const response = await hookline.spread.request('GET', `/v1/destinations/${destination.id}/health`, { key });
      return response.body.status === 'auto_disabled' ? response.body : undefined;
    }, 'the destination to be auto-disabled');
    expect(health).toMatchObject({ consecutive_failures: 2 });
  });

  it('holds deliveries while a destination is paused on one replica and releases them when resumed on the other', async () => {
    const { receiver, key, destination } = await destinationAnswering();
    const paused = await hookline.replicas[0].request('PATCH', `/v1/destinations/${destination.id}`, { key, body: { enabled: false } });
    expect(paused.status).toBe(200);

    const eventId = await postEvent(hookline.replicas[1], key, { type: 'contact.updated', data: { id: 'c_held' } });
    const held = await onlyDeliveryOf(hookline.replicas[0], key, eventId, 'held');
    expect(receiver.requests).toHaveLength(0);

    await hookline.replicas[1].request('PATCH', `/v1/destinations/${destination.id}`, { key, body: { enabled: true } });
    await deliveryWhen(hookline.replicas[0], key, held.id, (d) => d.status === 'succeeded', 'the held delivery to be released');
    expect(receiver.requests).toHaveLength(1);
  });

  it('turns one Idempotency-Key posted 10 times at once, alternately to each replica, into one event and one request', async () => {
    const { receiver, key } = await destinationAnswering();
    const event = { type: 'order.placed', data: { order_id: 'o_42' } };
    const headers = { 'Idempotency-Key': `cluster-${Date.now()}` };

    const responses = await Promise.all(Array.from({ length: 10 }, () => hookline.spread.request('POST', '/v1/events', { key, body: event, headers })));

    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
    const ids = new Set(responses.map((r) => r.body.event_id));
    expect(ids.size).toBe(1);
    await eventWhen(hookline.spread, key, [...ids][0] as string, (e) => e.deliveries[0]?.status === 'succeeded', 'the delivery to succeed');
    expect(receiver.requests).toHaveLength(1);
  });
});
