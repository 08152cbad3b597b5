// Delivery control on the cluster: limits held across both workers and both API replicas, as the receiver counts them.
import { mostInAnyWindow, openRequestCounter } from '../support/arrivals';
import { cluster, type Cluster } from '../support/cluster';
import { makeDestination, postEvent } from '../support/delivery-helpers';
import { eventually } from '../support/hookline-harness';
import { startReceiver, type Receiver, type Responder } from '../support/receiver';

describe('delivery control on the cluster', () => {
  let hookline: Cluster;
  const receivers: Receiver[] = [];

  async function destinationAnswering(responder: Responder, settings: Record<string, unknown>) {
    const receiver = await startReceiver(responder);
    receivers.push(receiver);
    const { key } = await hookline.spread.createWorkspace();
    const destination = await makeDestination(hookline.spread, key, { url: `${receiver.url}/hook`, event_types: ['*'], ...settings });
    return { receiver, key, destination };
  }

  /** Posts `count` events over both replicas, eight at a time, as a bulk import would. */
  async function postMany(key: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < count) {
          const n = next++;
          ids.push(await postEvent(hookline.spread, key, { type: 'contact.updated', data: { id: `c_${n}` } }));
        }
      }),
    );
    return ids;
  }

  /**
   * Every delivery of the destination once all `count` have succeeded. The receiver is watched first: listing thousands
   * of deliveries ten times a second would load the cluster's two cores more than the deliveries do.
   */
  async function succeeded(receiver: Receiver, key: string, destinationId: string, count: number, timeoutMs: number): Promise<any[]> {
    await eventually(
      async () => (new Set(receiver.requests.map((request) => request.headers['webhook-id'])).size >= count ? true : undefined),
      `${count} deliveries to reach the receiver`,
      timeoutMs,
    );
    return eventually(async () => {
      const all: any[] = [];
      let cursor: string | null = null;
      do {
        const page = await hookline.spread.request('GET', `/v1/deliveries?destination_id=${destinationId}&limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
          key,
        });
        all.push(...page.body.data);
        cursor = page.body.next_cursor;
      } while (cursor);
      return all.length === count && all.every((delivery) => delivery.status === 'succeeded') ? all : undefined;
    }, `all ${count} deliveries to be recorded as succeeded`);
  }

  /** When every attempt of these deliveries was sent, from their records (read eight at a time). */
  async function sendTimes(key: string, deliveries: { id: string }[]): Promise<number[]> {
    const times: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < deliveries.length) {
          const { body } = await hookline.spread.request('GET', `/v1/deliveries/${deliveries[next++]!.id}`, { key });
          times.push(...body.attempts.map((attempt: { started_at: string }) => Date.parse(attempt.started_at)));
        }
      }),
    );
    return times;
  }

  beforeAll(() => {
    hookline = cluster();
  });
  afterAll(() => Promise.all(receivers.map((r) => r.close())));

  it('sends a burst of 2,000 to a receiver that takes 10 requests a second (429 above) within that, from both workers, each accepted once', async () => {
    // The receiver's own rule, counted over every request that arrives: more than 10 and the burst of 2 in any second is refused.
    const arrivals: number[] = [];
    const accepted = new Map<string, number>();
    let refused = 0;
    const { receiver, key, destination } = await destinationAnswering(
      (request) => {
        const now = Date.now();
        arrivals.push(now);
        if (arrivals.filter((at) => now - at < 1_000).length > 12) {
          refused += 1;
          return { status: 429 };
        }
        accepted.set(request.headers['webhook-id']!, (accepted.get(request.headers['webhook-id']!) ?? 0) + 1);
        return { status: 200 };
      },
      { rate_limit: { requests: 10, per_seconds: 1, burst: 2 } },
    );
    const before = await hookline.attemptsByWorker();

    const ids = await postMany(key, 2_000);
    const deliveries = await succeeded(receiver, key, destination.id, 2_000, 400_000);

    // What Hookline controls: when each request left, by the attempt records of both workers. No second holds more than 12.
    const sent = await sendTimes(key, deliveries);
    expect(mostInAnyWindow(sent, 1_000)).toBeLessThanOrEqual(12);
    // What the receiver saw: every event, each accepted once.
    expect(new Set(receiver.requests.map((request) => JSON.parse(request.body).id))).toEqual(new Set(ids));
    expect([...accepted.values()].every((times) => times === 1)).toBe(true);
    expect(accepted.size).toBe(2_000);
    // Requests leave 105 ms apart, but on these two cores, shared by nine cluster processes and this receiver, a few
    // take a few hundred milliseconds to arrive and land together; the receiver refuses those few, and their retries
    // go in turn (the spec on one process, test/integration/delivery-control.test.ts, holds the arrivals themselves).
    expect(refused).toBeLessThanOrEqual(20);
    const after = await hookline.attemptsByWorker();
    expect(after[0]).toBeGreaterThan(before[0]);
    expect(after[1]).toBeGreaterThan(before[1]);
  }, 480_000);

  it('never has a third request open at a destination capped at 2, with both workers sending', async () => {
    const open = openRequestCounter();
    const { receiver, key, destination } = await destinationAnswering(
      () => {
        setTimeout(open.opened(), 100);
        return { status: 200, delayMs: 100 };
      },
      { max_concurrent_requests: 2 },
    );

    await postMany(key, 200);
    await succeeded(receiver, key, destination.id, 200, 120_000);

    expect(open.most).toBe(2);
    expect(receiver.requests).toHaveLength(200);
  }, 180_000);

  it("stops every send for a 429's Retry-After: 30, then delivers the rest with no attempt lost", async () => {
    const { receiver, key, destination } = await destinationAnswering(
      (_, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '30' } } : { status: 200 }),
      {},
    );
    await postEvent(hookline.spread, key, { type: 'contact.updated', data: { id: 'c_first' } });
    const [refused] = await receiver.waitForRequests(1);

    await postMany(key, 40);
    const deliveries = await succeeded(receiver, key, destination.id, 41, 90_000);

    // Nothing reached the receiver while it asked for quiet (less a little for the clocks of two processes).
    for (const request of receiver.requests.slice(1)) expect(request.receivedAt - refused!.receivedAt).toBeGreaterThanOrEqual(29_900);
    expect(receiver.requests).toHaveLength(42);
    expect(deliveries.map((delivery) => delivery.attempt_count).sort()).toEqual([...Array(40).fill(1), 2]);
  }, 180_000);
});
