import { eventWhen, makeDestination, postEvent, quietPeriod } from '../support/delivery-helpers';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

// Long enough for a duplicate delivery, had one been started, to reach the receiver.
const SETTLE_MS = 1_500;

describe('idempotent ingestion', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;

  beforeAll(async () => {
    hookline = await startHookline();
    receiver = await startReceiver(() => ({ status: 200 }));
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  it('turns the same Idempotency-Key posted 10 times at once into one event and one delivery per destination', async () => {
    const { id: workspaceId, key } = await hookline.createWorkspace();
    const first = await makeDestination(hookline, key, { url: `${receiver.url}/idem-a`, event_types: ['order.*'] });
    const second = await makeDestination(hookline, key, { url: `${receiver.url}/idem-b`, event_types: ['*'] });
    const event = { type: 'order.placed', data: { order_id: 'o_42', total: 99.5 } };
    const headers = { 'Idempotency-Key': 'order-o_42-placed' };

    const responses = await Promise.all(Array.from({ length: 10 }, () => hookline.request('POST', '/v1/events', { key, body: event, headers })));

    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
    const eventIds = new Set(responses.map((r) => r.body.event_id));
    expect(eventIds.size).toBe(1);
    const [eventId] = [...eventIds] as [string];
    // Exactly one request started the workflow; the other nine were told they replayed it.
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);

    const stored = await eventWhen(
      hookline,
      key,
      eventId,
      (e) => e.deliveries.length === 2 && e.deliveries.every((d: { status: string }) => d.status === 'succeeded'),
      'both deliveries to succeed',
    );
    await quietPeriod(SETTLE_MS);

    const events = await hookline.db.selectFrom('events').select('id').where('workspace_id', '=', workspaceId).execute();
    expect(events).toEqual([{ id: eventId }]);
    const deliveries = await hookline.db.selectFrom('deliveries').select('destination_id').where('event_id', '=', eventId).execute();
    expect(deliveries.map((d) => d.destination_id).sort()).toEqual([first.id, second.id].sort());
    expect(stored.deliveries).toHaveLength(2);
    expect(receiver.requests.filter((r) => r.path === '/idem-a')).toHaveLength(1);
    expect(receiver.requests.filter((r) => r.path === '/idem-b')).toHaveLength(1);
  });

  it('answers a repeat after delivery with the same event and sends nothing again', async () => {
    const { key } = await hookline.createWorkspace();
    await makeDestination(hookline, key, { url: `${receiver.url}/idem-later`, event_types: ['*'] });
    const headers = { 'Idempotency-Key': 'later-repeat' };
    const event = { type: 'order.placed', data: { order_id: 'o_43' } };

    const eventId = await postEvent(hookline, key, event, headers);
    await eventWhen(hookline, key, eventId, (e) => e.deliveries[0]?.status === 'succeeded', 'the delivery to succeed');
    const repeat = await hookline.request('POST', '/v1/events', { key, body: event, headers });
    await quietPeriod(SETTLE_MS);

    expect(repeat.status).toBe(202);
    expect(repeat.body.event_id).toBe(eventId);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(receiver.requests.filter((r) => r.path === '/idem-later')).toHaveLength(1);
  });

  it('keeps the same key in two workspaces as two events', async () => {
    const one = await hookline.createWorkspace();
    const two = await hookline.createWorkspace();
    const headers = { 'Idempotency-Key': 'shared-key' };
    const event = { type: 'order.placed', data: {} };

    const [a, b] = await Promise.all([postEvent(hookline, one.key, event, headers), postEvent(hookline, two.key, event, headers)]);

    expect(a).not.toBe(b);
    await eventWhen(hookline, one.key, a, () => true, 'the first workspace to store its event');
    await eventWhen(hookline, two.key, b, () => true, 'the second workspace to store its event');
  });

  it('refuses the same Idempotency-Key with a different body (422), and still replays the same body', async () => {
    const { key } = await hookline.createWorkspace();
    await makeDestination(hookline, key, { url: `${receiver.url}/idem-reuse`, event_types: ['order.*'] });
    const headers = { 'Idempotency-Key': 'order-o_7-placed' };
    const first = await hookline.request('POST', '/v1/events', { key, body: { type: 'order.placed', data: { order_id: 'o_7', total: 10 } }, headers });
    expect(first.status).toBe(202);

    const reordered = await hookline.request('POST', '/v1/events', { key, body: { data: { total: 10, order_id: 'o_7' }, type: 'order.placed' }, headers });
    expect(reordered.status).toBe(202);
    expect(reordered.body.event_id).toBe(first.body.event_id);
    expect(reordered.headers.get('idempotent-replayed')).toBe('true');

    const different = await hookline.request('POST', '/v1/events', { key, body: { type: 'order.placed', data: { order_id: 'o_7', total: 99 } }, headers });
    expect(different.status).toBe(422);
    expect(different.body.error.code).toBe('idempotency_key_reused');
  });
});
