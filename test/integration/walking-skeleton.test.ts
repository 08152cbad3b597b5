import { Webhook } from 'standardwebhooks';
import { verifyWebhook } from '@hookline/verify';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

describe('an event travels from the API to a receiver', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;

  beforeAll(async () => {
    hookline = await startHookline();
    receiver = await startReceiver(() => ({ status: 200, body: 'thanks' }));
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  it('delivers a signed request and records the successful attempt', async () => {
    const workspace = await hookline.createWorkspace();
    const created = await hookline.request('POST', '/v1/destinations', {
      key: workspace.key,
      body: { name: 'CRM sync', url: `${receiver.url}/hooks/crm`, event_types: ['contact.*'] },
    });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^whsec_/);

    const accepted = await hookline.request('POST', '/v1/events', {
      key: workspace.key,
      body: { type: 'contact.created', data: { id: 'c_1', email: 'ada@example.com' }, subject: 'c_1' },
    });
    expect(accepted.status).toBe(202);
    const eventId: string = accepted.body.event_id;

    const [request] = await receiver.waitForRequests(1);
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/hooks/crm');
    expect(request!.headers['user-agent']).toMatch(/^Hookline\//);
    const body = JSON.parse(request!.body);
    expect(body).toEqual({
      id: eventId,
      type: 'contact.created',
      timestamp: expect.any(String),
      workspace_id: workspace.id,
      data: { id: 'c_1', email: 'ada@example.com' },
    });
    expect(verifyWebhook({ headers: request!.headers, body: request!.body, secret })).toBe(true);
    expect(() => new Webhook(secret).verify(request!.body, request!.headers)).not.toThrow();

    const delivery = await eventually(async () => {
      const event = await hookline.request('GET', `/v1/events/${eventId}`, { key: workspace.key });
      const summary = event.body?.deliveries?.[0];
      if (summary?.status !== 'succeeded') return undefined;
      return (await hookline.request('GET', `/v1/deliveries/${summary.id}`, { key: workspace.key })).body;
    }, 'the delivery to be recorded as succeeded');

    expect(delivery).toMatchObject({
      event_id: eventId,
      destination_id: created.body.id,
      status: 'succeeded',
      attempt_count: 1,
      last_status_code: 200,
      // Delivered on its first attempt, inline, by the event's own workflow.
      workflow_id: `event-${eventId}`,
    });
    expect(request!.headers['webhook-id']).toBe(delivery.id);
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0]).toMatchObject({
      attempt_number: 1,
      request: { method: 'POST', url: `${receiver.url}/hooks/crm` },
      response: { status: 200, body_excerpt: 'thanks' },
      error: null,
    });
    expect(delivery.attempts[0].duration_ms).toBeGreaterThanOrEqual(0);
    // Signatures are not stored with the request: a stored attempt must not help forge one.
    expect(Object.keys(delivery.attempts[0].request.headers)).not.toContain('webhook-signature');
  });

  it('answers /healthz and /readyz once PostgreSQL and Temporal are reachable', async () => {
    expect((await hookline.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await hookline.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { postgres: { ok: true }, temporal: { ok: true } } });
  });
});
