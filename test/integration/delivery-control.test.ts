// Delivery control per destination on the real stack: a rate limit and a concurrency cap the receiver can count on, and a 429 that slows the whole destination.
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { makeDestination, postEvent } from '../support/delivery-helpers';
import { arrivalsOf, mostInAnyWindow, openRequestCounter } from '../support/arrivals';
import { scrape } from '../support/prometheus';
import { startReceiver, type Receiver, type Responder } from '../support/receiver';

describe('delivery control per destination', () => {
  let hookline: HooklineHarness;
  const receivers: Receiver[] = [];

  async function destinationAnswering(responder: Responder, settings: Record<string, unknown>) {
    const receiver = await startReceiver(responder);
    receivers.push(receiver);
    const workspace = await hookline.createWorkspace();
    const destination = await makeDestination(hookline, workspace.key, { url: `${receiver.url}/hook`, event_types: ['*'], ...settings });
    return { receiver, key: workspace.key, workspaceId: workspace.id, destination };
  }

  async function deliveriesOf(key: string, destinationId: string): Promise<any[]> {
    const all: any[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `destination_id=${destinationId}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await hookline.request('GET', `/v1/deliveries?${query}`, { key });
      all.push(...page.body.data);
      cursor = page.body.next_cursor;
    } while (cursor);
    return all;
  }

  beforeAll(async () => {
    hookline = await startHookline({ HOOKLINE_RETRY_AFTER_MIN: '1s', HOOKLINE_RETRY_SCHEDULE: '1s,1s,1s', HOOKLINE_RETRY_JITTER: '0' });
  });

  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await hookline?.close();
  });

  it('keeps a burst of 120 events within 10 requests a second (plus the burst of 2), queued meanwhile, each delivered once with one attempt', async () => {
    const { receiver, key, workspaceId, destination } = await destinationAnswering(() => ({ status: 200 }), {
      rate_limit: { requests: 10, per_seconds: 1, burst: 2 },
    });
    expect(destination.body).toMatchObject({ rate_limit: { requests: 10, per_seconds: 1, burst: 2 }, max_concurrent_requests: null, throttle: null });

    for (let i = 0; i < 120; i++) await postEvent(hookline, key, { type: 'contact.updated', data: { id: `c_${i}` } });

    // While the queue drains, the destination says how many wait and the deliveries say why.
    const queue = await eventually(async () => {
      const answer = await hookline.request('GET', `/v1/destinations/${destination.id}/queue`, { key });
      return answer.body.queued > 0 ? answer.body : undefined;
    }, 'deliveries to be queued behind the limit');
    expect(queue).toMatchObject({ rate_limit: { requests: 10, per_seconds: 1, burst: 2 }, oldest_queued_at: expect.any(String) });
    const queued = await hookline.request('GET', `/v1/deliveries?destination_id=${destination.id}&status=queued&limit=1`, { key });
    expect(queued.body.data[0]).toMatchObject({ status: 'queued', queue_reason: 'rate_limit', next_attempt_at: expect.any(String) });
    // Operators see the queue too: the longest queues are gauges, labelled by destination.
    const metrics = await scrape(`${hookline.baseUrl}/metrics`);
    expect(metrics.value('hookline_destination_queued_deliveries', { destination_id: destination.id, workspace_id: workspaceId })).toBeGreaterThan(0);
    expect(
      metrics.value('hookline_destination_queue_oldest_age_seconds', { destination_id: destination.id, workspace_id: workspaceId }),
    ).toBeGreaterThanOrEqual(0);

    await receiver.waitForRequests(120, 60_000);
    const deliveries = await eventually(async () => {
      const all = await deliveriesOf(key, destination.id);
      return all.length === 120 && all.every((delivery) => delivery.status === 'succeeded') ? all : undefined;
    }, 'all 120 deliveries to succeed');
    expect(deliveries.every((delivery) => delivery.attempt_count === 1)).toBe(true);
    expect(new Set(receiver.requests.map((request) => request.headers['webhook-id'])).size).toBe(120);
    expect(receiver.requests).toHaveLength(120);
    // What the receiver counts, by arrival: any one second holds at most 12 (10 and the burst of 2).
    expect(mostInAnyWindow(arrivalsOf(receiver.requests), 1_000)).toBeLessThanOrEqual(12);
    // 120 at 10 a second cannot take much less than 11 s, whatever the burst.
    const times = receiver.requests.map((request) => request.receivedAt);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(10_500);
  }, 90_000);

  it('never has a third request open at a destination capped at 2, and delivers all 30', async () => {
    const open = openRequestCounter();
    const receiver = await startReceiver(() => ({ status: 200, delayMs: 150 }));
    receivers.push(receiver);
    const { key } = await hookline.createWorkspace();
    const destination = await makeDestination(hookline, key, { url: `${receiver.url}/hook`, event_types: ['*'], max_concurrent_requests: 2 });
    // Counted where the requests arrive and leave: the receiver's own view of how many are open.
    receiver.respondWith(() => {
      setTimeout(open.opened(), 150);
      return { status: 200, delayMs: 150 };
    });

    for (let i = 0; i < 30; i++) await postEvent(hookline, key, { type: 'contact.updated', data: { id: `c_${i}` } });
    await receiver.waitForRequests(30, 60_000);
    const deliveries = await eventually(async () => {
      const all = await deliveriesOf(key, destination.id);
      return all.length === 30 && all.every((delivery) => delivery.status === 'succeeded') ? all : undefined;
    }, 'all 30 deliveries to succeed');

    expect(open.most).toBeLessThanOrEqual(2);
    expect(open.most).toBe(2);
    expect(receiver.requests).toHaveLength(30);
    expect(deliveries.every((delivery) => delivery.attempt_count === 1)).toBe(true);
  }, 90_000);

  it("stops every delivery of a destination for a 429's Retry-After, says so, then sends the rest with no attempt lost", async () => {
    const { receiver, key, workspaceId, destination } = await destinationAnswering(
      (_, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '4' } } : { status: 200 }),
      {},
    );
    await postEvent(hookline, key, { type: 'contact.updated', data: { id: 'c_first' } });
    await receiver.waitForRequests(1);
    const refusedAt = receiver.requests[0]!.receivedAt;

    const throttled = await eventually(async () => {
      const answer = await hookline.request('GET', `/v1/destinations/${destination.id}`, { key });
      return answer.body.throttle ? answer.body.throttle : undefined;
    }, 'the destination to say it is throttled');
    expect(throttled.reason).toContain('429');
    expect(Date.parse(throttled.until) - refusedAt).toBeGreaterThan(3_000);
    const metrics = await scrape(`${hookline.baseUrl}/metrics`);
    expect(metrics.value('hookline_destination_throttled_seconds', { destination_id: destination.id, workspace_id: workspaceId })).toBeGreaterThan(0);

    for (let i = 0; i < 10; i++) await postEvent(hookline, key, { type: 'contact.updated', data: { id: `c_${i}` } });
    await receiver.waitForRequests(11, 30_000);
    const deliveries = await eventually(async () => {
      const all = await deliveriesOf(key, destination.id);
      return all.length === 11 && all.every((delivery) => delivery.status === 'succeeded') ? all : undefined;
    }, 'all 11 deliveries to succeed');

    // Nothing reached the receiver while it asked for quiet (less a little for the clocks of two processes).
    for (const request of receiver.requests.slice(1)) expect(request.receivedAt - refusedAt).toBeGreaterThanOrEqual(3_900);
    // The refused delivery spent one attempt on its 429; the ten that waited spent none on waiting.
    expect(deliveries.map((delivery) => delivery.attempt_count).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
  }, 60_000);

  it('halves the send rate of a destination without limits on a 429 without Retry-After, and still delivers everything', async () => {
    // The receiver takes 5 requests in any second and refuses the rest without saying when to come back.
    const accepted: number[] = [];
    let refused = 0;
    const { key, destination } = await destinationAnswering(
      () => {
        const now = Date.now();
        if (accepted.filter((at) => now - at < 1_000).length >= 5) {
          refused += 1;
          return { status: 429 };
        }
        accepted.push(now);
        return { status: 200 };
      },
      { max_attempts: 10 },
    );
    for (let i = 0; i < 60; i++) await postEvent(hookline, key, { type: 'contact.updated', data: { id: `c_${i}` } });

    const throttled = await eventually(async () => {
      const answer = await hookline.request('GET', `/v1/destinations/${destination.id}`, { key });
      return answer.body.throttle ? answer.body.throttle : undefined;
    }, 'the destination to say its rate was halved');
    expect(throttled.reason).toContain('without Retry-After');
    await eventually(
      async () => {
        const all = await deliveriesOf(key, destination.id);
        return all.length === 60 && all.every((delivery) => delivery.status === 'succeeded') ? all : undefined;
      },
      'all 60 deliveries to succeed',
      60_000,
    );
    expect(accepted).toHaveLength(60);
    // Without the halving, each refused delivery's retries would come back at once and be refused again and again.
    expect(refused).toBeLessThan(120);
  }, 90_000);

  it('refuses a malformed limit with a machine-readable code', async () => {
    const { key } = await hookline.createWorkspace();
    const answer = await hookline.request('POST', '/v1/destinations', {
      key,
      body: { name: 'x', url: 'https://example.com/hook', rate_limit: { requests: 0, per_seconds: 1 }, max_concurrent_requests: 0 },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });
});
