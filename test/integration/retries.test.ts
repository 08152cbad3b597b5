import { makeDestination, onlyDeliveryOf, postEvent, quietPeriod } from '../support/delivery-helpers';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver, type Responder } from '../support/receiver';

// Short, exact delays through configuration: the defaults (5 s … 10 h, ±20 %) stay what production gets.
const FAST_RETRIES = {
  HOOKLINE_RETRY_SCHEDULE: '200ms,200ms,200ms',
  HOOKLINE_RETRY_JITTER: '0',
  HOOKLINE_RETRY_AFTER_MIN: '1s',
};
// Longer than the whole retry schedule: a retry that was going to happen has happened by then.
const LONGER_THAN_A_RETRY_MS = 1_500;

describe('delivery retries', () => {
  let hookline: HooklineHarness;
  const receivers: Receiver[] = [];

  /** A workspace with one destination pointing at a fresh receiver that answers as `responder` says. */
  async function destinationAnswering(responder: Responder, settings: Record<string, unknown> = {}) {
    const receiver = await startReceiver(responder);
    receivers.push(receiver);
    const { key } = await hookline.createWorkspace();
    const destination = await makeDestination(hookline, key, { url: `${receiver.url}/hook`, event_types: ['*'], ...settings });
    const send = (data: unknown = { id: 'c_1' }) => postEvent(hookline, key, { type: 'contact.updated', data });
    return { receiver, key, destination, send };
  }

  beforeAll(async () => {
    hookline = await startHookline(FAST_RETRIES);
  });

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await hookline?.close();
  });

  it('retries 503s and delivers on the third attempt under one webhook-id', async () => {
    const { receiver, key, send } = await destinationAnswering((_, index) => (index < 2 ? { status: 503 } : { status: 200, body: 'finally' }));

    const delivery = await onlyDeliveryOf(hookline, key, await send(), 'succeeded');

    expect(delivery).toMatchObject({ attempt_count: 3, last_status_code: 200 });
    expect(delivery.attempts.map((a: { response: { status: number } }) => a.response.status)).toEqual([503, 503, 200]);
    expect(delivery.attempts.map((a: { attempt_number: number }) => a.attempt_number)).toEqual([1, 2, 3]);
    expect(delivery.attempts[0].error).toMatchObject({ message: expect.stringContaining('503') });
    // webhook-id is the receiver's deduplication key: it must not change between retries.
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([delivery.id, delivery.id, delivery.id]);
  });

  it.each([429, 503])('honours Retry-After on a %i: the next request comes no sooner than it asked', async (status) => {
    const { receiver, key, send } = await destinationAnswering((_, index) => (index === 0 ? { status, headers: { 'retry-after': '2' } } : { status: 200 }));

    const delivery = await onlyDeliveryOf(hookline, key, await send(), 'succeeded');

    expect(delivery.attempts.map((a: { response: { status: number } }) => a.response.status)).toEqual([status, 200]);
    const [first, second] = receiver.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(2_000);
  });

  it('does not retry a 400: one request, and the delivery fails', async () => {
    const { receiver, key, send } = await destinationAnswering(() => ({ status: 400, body: 'bad payload' }));

    const delivery = await onlyDeliveryOf(hookline, key, await send(), 'failed');
    await quietPeriod(LONGER_THAN_A_RETRY_MS);

    expect(receiver.requests).toHaveLength(1);
    expect(delivery).toMatchObject({ attempt_count: 1, last_status_code: 400, last_error: expect.stringContaining('400') });
    expect(delivery.attempts[0].response).toMatchObject({ status: 400, body_excerpt: 'bad payload' });
  });

  it('abandons a request the receiver does not answer within the timeout, records a timeout, and retries it', async () => {
    const { receiver, key, send } = await destinationAnswering((_, index) => ({ status: 200, delayMs: index === 0 ? 3_000 : 0 }), {
      timeout_seconds: 1,
    });

    const delivery = await onlyDeliveryOf(hookline, key, await send(), 'succeeded');

    expect(receiver.requests).toHaveLength(2);
    const [timedOut, answered] = delivery.attempts;
    expect(timedOut.response).toBeNull();
    expect(timedOut.error.class).toMatch(/timeout/i);
    expect(timedOut.error.message).toMatch(/timed out/);
    expect(answered.response.status).toBe(200);
  });

  it('makes one attempt only when the destination allows one', async () => {
    const { receiver, key, send } = await destinationAnswering(() => ({ status: 503 }), { max_attempts: 1 });

    const delivery = await onlyDeliveryOf(hookline, key, await send(), 'failed');
    await quietPeriod(LONGER_THAN_A_RETRY_MS);

    expect(receiver.requests).toHaveLength(1);
    expect(delivery).toMatchObject({ attempt_count: 1, last_status_code: 503 });
  });

  it('fails on 410 Gone and auto-disables the destination with a reason', async () => {
    const { receiver, key, destination, send } = await destinationAnswering(() => ({ status: 410 }));

    const delivery = await onlyDeliveryOf(hookline, key, await send(), 'failed');
    await quietPeriod(LONGER_THAN_A_RETRY_MS);

    expect(receiver.requests).toHaveLength(1);
    expect(delivery).toMatchObject({ attempt_count: 1, last_status_code: 410 });
    const read = await hookline.request('GET', `/v1/destinations/${destination.id}`, { key });
    expect(read.body).toMatchObject({ status: 'auto_disabled', auto_disabled_at: expect.any(String) });
    expect(read.body.auto_disabled_reason).toMatch(/410/);
  });

  it('does not follow a redirect: a 3xx fails and says where it pointed', async () => {
    const { receiver, key, send } = await destinationAnswering((request) =>
      request.path === '/hook' ? { status: 301, headers: { location: '/new-home' } } : { status: 200 },
    );

    const delivery = await onlyDeliveryOf(hookline, key, await send(), 'failed');
    await quietPeriod(LONGER_THAN_A_RETRY_MS);

    expect(receiver.requests.map((r) => r.path)).toEqual(['/hook']);
    expect(delivery).toMatchObject({ attempt_count: 1, last_status_code: 301 });
    // A relative Location is resolved against the request URL: the message names the URL to configure.
    expect(delivery.last_error).toContain(`redirecting to ${receiver.url}/new-home`);
    expect(delivery.attempts[0].error.message).toContain(`${receiver.url}/new-home`);
  });

  it('fails with template_error, sending nothing, when a header would render a line break', async () => {
    const { receiver, key, send } = await destinationAnswering(() => ({ status: 200 }), { headers: { 'X-Value': '{{data.x}}' } });

    const delivery = await onlyDeliveryOf(hookline, key, await send({ x: 'a\r\nInjected: yes' }), 'failed');
    await quietPeriod(LONGER_THAN_A_RETRY_MS);

    expect(receiver.requests).toHaveLength(0);
    expect(delivery.last_error).toMatch(/^template_error/);
    expect(delivery.last_error).toContain('X-Value');
  });
});
