// What an event or a receiver can do to a delivery: nothing makes an attempt unrecordable, a request unbounded, or an event lost.
import { MASKED_HEADER_VALUE } from '../../src/domain/header-values';
import { eventWorkflowId, newId } from '../../src/domain/ids';
import { deliverEventWorkflow } from '../../src/workflows/event.workflow';
import { makeDestination, onlyDeliveryOf, postEvent, quietPeriod } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

describe('hostile deliveries', () => {
  let hookline: HooklineHarness;
  let key: string;
  let workspaceId: string;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    hookline = await startHookline({ HOOKLINE_MAX_REQUEST_BYTES: '20000', HOOKLINE_RETRY_SCHEDULE: '100ms', HOOKLINE_RETRY_JITTER: '0' });
    ({ key, id: workspaceId } = await hookline.createWorkspace('hostile deliveries'));
  });

  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await hookline?.close();
  });

  async function destination(responder: Parameters<typeof startReceiver>[0], settings: Record<string, unknown> = {}, path = '/hook') {
    const receiver = await startReceiver(responder);
    receivers.push(receiver);
    const created = await makeDestination(hookline, key, {
      url: `${receiver.url}${path}`,
      event_types: [`hostile.${'abcdefghij'[receivers.length]}`],
      max_attempts: 2,
      ...settings,
    });
    return { receiver, destination: created, type: `hostile.${'abcdefghij'[receivers.length]}` };
  }

  it('records a 200 whose body holds a NUL byte: one request, succeeded, the excerpt made storable', async () => {
    const { receiver, type } = await destination(() => ({ status: 200, body: 'ok\u0000done' }));
    const delivery = await onlyDeliveryOf(hookline, key, await postEvent(hookline, key, { type, data: {} }), 'succeeded');
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0].response.body_excerpt).toBe('ok\uFFFDdone');
    await quietPeriod(300);
    expect(receiver.requests).toHaveLength(1);
  });

  it('fails for good, sending nothing, a template that would render a request over the cap', async () => {
    const { receiver, type } = await destination(() => ({ status: 200 }), {
      body_template: Object.fromEntries(Array.from({ length: 20 }, (_, n) => [`k${n}`, '{{data.s}}'])),
    });
    const delivery = await onlyDeliveryOf(hookline, key, await postEvent(hookline, key, { type, data: { s: 'x'.repeat(5_000) } }), 'failed');
    expect(delivery.last_error).toMatch(/template_error: .*larger than 20000 bytes/);
    await quietPeriod(300);
    expect(receiver.requests).toHaveLength(0);
  });

  it('fails for good a URL placeholder that would change the path (..), sending nothing', async () => {
    const { receiver, type } = await destination(() => ({ status: 200 }), {}, '/hooks/{{data.x}}/end');
    const delivery = await onlyDeliveryOf(hookline, key, await postEvent(hookline, key, { type, data: { x: '..' } }), 'failed');
    expect(delivery.last_error).toMatch(/template_error: .*shape of the path/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('fails for good a header whose rendered value cannot be sent, without counting toward retries', async () => {
    const { receiver, type } = await destination(() => ({ status: 200 }), { headers: { 'X-Contact': '{{data.name}}' } });
    const delivery = await onlyDeliveryOf(hookline, key, await postEvent(hookline, key, { type, data: { name: 'Zoë 😀' } }), 'failed');
    expect(delivery.attempt_count).toBe(0);
    expect(delivery.last_error).toMatch(/template_error: header X-Contact cannot be sent/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('ends an event planning can never store as rejected, readable through the API, holding nothing', async () => {
    // Past the API's checks, as a producer writing to Temporal directly (or a check we do not have yet) would.
    const eventId = newId('evt');
    await hookline.temporal.workflow.start(deliverEventWorkflow, {
      taskQueue: hookline.config.temporal.taskQueue,
      workflowId: eventWorkflowId(eventId),
      args: [
        {
          eventId,
          workspaceId,
          type: 'contact.created',
          data: { name: 'Ada\u0000' },
          subject: null,
          occurredAt: new Date().toISOString(),
          receivedAt: new Date().toISOString(),
          idempotencyKey: null,
        },
      ],
    });
    const result = await hookline.temporal.workflow.getHandle(eventWorkflowId(eventId)).result();
    expect(result).toMatchObject({ deliveries: [], rejected: expect.stringMatching(/cannot be stored or planned/) });
    const event = await eventually(async () => {
      const response = await hookline.request('GET', `/v1/events/${eventId}`, { key });
      return response.status === 200 ? response.body : undefined;
    }, 'the rejected event to be readable');
    expect(event).toMatchObject({ id: eventId, status: 'rejected', rejected_reason: expect.stringMatching(/cannot be stored/), deliveries: [] });
  });

  it('runs a filter $regex with catastrophic backtracking in linear time', async () => {
    const { receiver, type } = await destination(() => ({ status: 200 }), { filter: { 'data.s': { $regex: '^(a+)+$' } } });
    await postEvent(hookline, key, { type, data: { s: `${'a'.repeat(60)}!` } });
    await postEvent(hookline, key, { type, data: { s: 'aaaa' } });
    const [only] = await receiver.waitForRequests(1);
    expect(JSON.parse(only!.body).data).toEqual({ s: 'aaaa' });
  });

  it('sends a custom header value to the receiver as written, and records the attempt with the value masked', async () => {
    const { receiver, type } = await destination(() => ({ status: 200 }), { headers: { Authorization: 'Bearer crm-token-456' } });
    const delivery = await onlyDeliveryOf(hookline, key, await postEvent(hookline, key, { type, data: {} }), 'succeeded');
    expect(receiver.requests[0]!.headers.authorization).toBe('Bearer crm-token-456');
    expect(delivery.attempts[0].request.headers.authorization).toBe(MASKED_HEADER_VALUE);
    const stored = await hookline.db.selectFrom('attempts').select('request_headers').where('delivery_id', '=', delivery.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.request_headers)).not.toContain('crm-token-456');
  });
});
