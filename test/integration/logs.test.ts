// What an operator reads in the logs: JSON lines with the ids that find a delivery or a request, and no secret.
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { makeDestination, onlyDeliveryOf } from '../support/delivery-helpers';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { startReceiver, type Receiver } from '../support/receiver';

const CUSTOM_HEADER_VALUE = 'crm-token-7f3a9c1e';
const QUERY_TOKEN = 'query-token-55b1';

describe('logs of one delivery and one refused event', () => {
  let logs: LogCapture;
  let hookline: HooklineHarness;
  let receiver: Receiver;

  beforeAll(async () => {
    logs = captureLogs();
    hookline = await startHookline({}, { logger: logs.logger });
    receiver = await startReceiver(() => ({ status: 200, body: 'ok' }));
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  it('writes one JSON line per request and per attempt, with the ids and never a secret or custom header value', async () => {
    const workspace = await hookline.createWorkspace('logs');
    const destination = await makeDestination(hookline, workspace.key, {
      url: `${receiver.url}/hooks?token=${QUERY_TOKEN}`,
      event_types: ['contact.*'],
      headers: { 'X-Crm-Token': CUSTOM_HEADER_VALUE },
    });
    const accepted = await hookline.request('POST', '/v1/events', {
      key: workspace.key,
      body: { type: 'contact.created', data: { id: 'c_1' } },
      headers: { 'X-Request-Id': 'support-ticket-4711' },
    });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('x-request-id')).toBe('support-ticket-4711');
    const eventId: string = accepted.body.event_id;
    const delivery = await onlyDeliveryOf(hookline, workspace.key, eventId, 'succeeded');

    await hookline.request('PUT', '/v1/event-types/lead.scored', { key: workspace.key, body: { schema: { type: 'object', required: ['score'] } } });
    const refused = await hookline.request('POST', '/v1/events', { key: workspace.key, body: { type: 'lead.scored', data: {} } });
    expect(refused.status).toBe(422);
    const refusedId = refused.headers.get('x-request-id');
    expect(refusedId).toMatch(/^req_[0-9a-f]{32}$/);

    // Every line is JSON (entries() parses each); the attempt line is written after the attempt, so wait for it.
    const attempt = await eventually(async () => logs.entries().find((entry) => entry.delivery_id === delivery.id), 'the attempt log line');
    expect(attempt).toMatchObject({
      level: 30,
      event_id: eventId,
      event_type: 'contact.created',
      destination_id: destination.id,
      workspace_id: workspace.id,
      workflow_id: `event-${eventId}`,
      attempt: 1,
      max_attempts: 8,
      method: 'POST',
      url: `${receiver.url}/hooks`,
      status_code: 200,
      outcome: '2xx',
      delivery_status: 'succeeded',
      next_attempt_at: null,
    });
    expect(attempt.duration_ms).toEqual(expect.any(Number));
    expect(attempt.msg).toMatch(/^contact\.created → Receiver: 200 in \d+ ms \(attempt 1 of 8\)$/);

    const requests = logs.entries().filter((entry) => entry.req !== undefined);
    expect(requests.find((entry) => entry.request_id === 'support-ticket-4711')).toMatchObject({
      req: { method: 'POST', path: '/v1/events' },
      res: { status_code: 202 },
      route: '/v1/events',
      workspace_id: workspace.id,
    });
    const refusal = requests.find((entry) => entry.request_id === refusedId);
    expect(refusal).toMatchObject({
      req: { method: 'POST', path: '/v1/events' },
      res: { status_code: 422 },
      route: '/v1/events',
      workspace_id: workspace.id,
      error_code: 'payload_schema_mismatch',
      msg: expect.stringMatching(/^POST \/v1\/events 422 in \d+ ms$/),
    });
    expect(refusal!.duration_ms).toEqual(expect.any(Number));

    const text = logs.text();
    for (const secret of [workspace.key, destination.secret, CUSTOM_HEADER_VALUE, QUERY_TOKEN, hookline.adminToken]) expect(text).not.toContain(secret);
    expect(text.toLowerCase()).not.toContain('authorization');
    // Bodies stay out too: the event's data never appears.
    expect(text).not.toContain('"c_1"');
  });
});
