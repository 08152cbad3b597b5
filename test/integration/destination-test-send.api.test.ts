// POST /v1/destinations/:id/test: one signed attempt through the real workflows, answered with its outcome and kept as a test.
import { verifyWebhook } from '@hookline/verify';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { createDestination, refusal } from './destination-fixtures';
import { readDelivery, type Workspace } from './delivery-fixtures';

describe('test sends', () => {
  let hookline: HooklineHarness;
  let workspace: Workspace;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    hookline = await startHookline({ HOOKLINE_RETRY_SCHEDULE: '100ms,100ms', HOOKLINE_RETRY_JITTER: '0' });
    workspace = await hookline.createWorkspace('tests');
  });

  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await hookline?.close();
  });

  async function destinationAnswering(status: number, body: string, overrides: Record<string, unknown> = {}) {
    const receiver = await startReceiver(() => ({ status, body }));
    receivers.push(receiver);
    const destination = await createDestination(hookline, workspace.key, { url: `${receiver.url}/hooks`, event_types: ['contact.*'], ...overrides });
    return { receiver, id: destination.id, secret: destination.secret };
  }

  const testSend = (destination: string, body: unknown = {}) => hookline.request('POST', `/v1/destinations/${destination}/test`, { key: workspace.key, body });

  it('answers ok with the status, duration and response excerpt of a receiver that accepts it', async () => {
    const { receiver, id, secret } = await destinationAnswering(200, 'pong');
    const response = await testSend(id);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ok: true,
      delivery_id: expect.stringMatching(/^dlv_/),
      event_id: expect.stringMatching(/^evt_/),
      status_code: 200,
      duration_ms: expect.any(Number),
      response_excerpt: 'pong',
      error: null,
    });
    expect(response.body.duration_ms).toBeGreaterThanOrEqual(0);

    const [request] = receiver.requests;
    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(request!.body)).toMatchObject({ type: 'webhook.test', data: { message: 'This is a test webhook from Hookline' } });
    expect(verifyWebhook({ headers: request!.headers, body: request!.body, secret })).toBe(true);
    expect(request!.headers['webhook-id']).toBe(response.body.delivery_id);
  });

  it('answers ok:false with the error for a receiver that fails, after a single attempt', async () => {
    const { receiver, id } = await destinationAnswering(500, 'boom');
    const response = await testSend(id);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: false, status_code: 500, response_excerpt: 'boom', error: expect.stringContaining('500') });
    expect(receiver.requests).toHaveLength(1);
    expect(await readDelivery(hookline, workspace, response.body.delivery_id)).toMatchObject({ status: 'failed', attempt_count: 1 });
  });

  it('keeps the test in the delivery history, marked as a test', async () => {
    const { id } = await destinationAnswering(200, 'ok');
    const response = await testSend(id);
    const delivery = await readDelivery(hookline, workspace, response.body.delivery_id);
    expect(delivery).toMatchObject({ is_test: true, destination_id: id, event_type: 'webhook.test', status: 'succeeded' });
    expect(delivery.attempts).toHaveLength(1);
    const event = await hookline.request('GET', `/v1/events/${response.body.event_id}`, { key: workspace.key });
    expect(event.body).toMatchObject({ is_test: true, type: 'webhook.test' });
    const listed = await hookline.request('GET', `/v1/deliveries?is_test=true&destination_id=${id}`, { key: workspace.key });
    expect(listed.body.data.map((d: { id: string }) => d.id)).toEqual([response.body.delivery_id]);
  });

  it('sends the example payload of a chosen registered event type', async () => {
    const { receiver, id } = await destinationAnswering(200, 'ok');
    await hookline.request('PUT', '/v1/event-types/deal.won', {
      key: workspace.key,
      body: { description: 'A deal closed', example: { deal: 'd_1', amount: 4200 } },
    });
    const response = await testSend(id, { event_type: 'deal.won' });
    expect(response.body.ok).toBe(true);
    expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ type: 'deal.won', data: { deal: 'd_1', amount: 4200 } });
  });

  it('sends to a destination that is not subscribed to the type, or is disabled', async () => {
    const { receiver, id } = await destinationAnswering(200, 'ok', { enabled: false, event_types: ['invoice.*'] });
    const response = await testSend(id, { event_type: 'contact.created' });
    expect(response.body).toMatchObject({ ok: true, status_code: 200 });
    expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ type: 'contact.created', data: { email: 'ada.lovelace@example.com' } });
  });

  it('refuses an event type the workspace has not registered with 422 unknown_event_type', async () => {
    const { receiver, id } = await destinationAnswering(200, 'ok');
    expect(refusal(await testSend(id, { event_type: 'never.registered' }))).toEqual({ status: 422, code: 'unknown_event_type' });
    expect(refusal(await testSend(id, { event_type: 'contact.created', extra: true }))).toEqual({ status: 400, code: 'validation_failed' });
    expect(receiver.requests).toHaveLength(0);
  });

  it('answers 504 test_timed_out when no worker picks the test up in time', async () => {
    const { receiver, id } = await destinationAnswering(200, 'late', { timeout_seconds: 1 });
    await hookline.stopWorker();
    try {
      expect(refusal(await testSend(id))).toEqual({ status: 504, code: 'test_timed_out' });
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await hookline.startWorker();
    }
  }, 40_000);

  it('answers 404 for a deleted destination', async () => {
    const { id } = await destinationAnswering(200, 'ok');
    await hookline.request('DELETE', `/v1/destinations/${id}`, { key: workspace.key });
    expect(refusal(await testSend(id))).toEqual({ status: 404, code: 'not_found' });
  });
});
