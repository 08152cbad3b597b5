// Retention on the real stack: past the payload window event data and bodies are gone and the records stay; past the record window the records go; held deliveries keep their data.
import { triggerPurge } from '../../src/orchestration/purge-schedule';
import { eventWhen, makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { scrape } from '../support/prometheus';
import { startReceiver, type Receiver } from '../support/receiver';

const EMAIL = 'retained.person@example.com';

describe('retention', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;

  beforeAll(async () => {
    hookline = await startHookline();
    // The receiver's answer quotes the event: an excerpt that is personal data too.
    receiver = await startReceiver((request) => ({ status: 200, body: `thanks for ${JSON.parse(request.body).data.email}` }));
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  async function workspaceWith(retention: Record<string, number>) {
    const { key } = await hookline.createWorkspace();
    const answer = await hookline.request('PATCH', '/v1/retention', { key, body: retention });
    expect(answer.status).toBe(200);
    const destination = await makeDestination(hookline, key, { url: `${receiver.url}/crm/contacts?email={{data.email}}`, event_types: ['*'] });
    return { key, destination };
  }

  const purgeUntil = <T>(check: () => Promise<T | undefined>, what: string) =>
    eventually(
      async () => {
        await triggerPurge(hookline.temporal, hookline.config);
        return check();
      },
      what,
      60_000,
    );

  it('keeps 30 days of payloads and 90 of records by default, and refuses windows that cannot hold', async () => {
    const { key } = await hookline.createWorkspace();
    expect((await hookline.request('GET', '/v1/retention', { key })).body).toEqual({
      payload_retention_seconds: 2_592_000,
      record_retention_seconds: 7_776_000,
    });

    const inverted = await hookline.request('PATCH', '/v1/retention', {
      key,
      body: { payload_retention_seconds: 7_776_000, record_retention_seconds: 86_400 },
    });
    const tooLong = await hookline.request('PATCH', '/v1/retention', { key, body: { record_retention_seconds: 400_000_000 } });
    const notANumber = await hookline.request('PATCH', '/v1/retention', { key, body: { payload_retention_seconds: '30d' } });

    expect([inverted.status, inverted.body.error.code]).toEqual([422, 'invalid_retention']);
    expect([tooLong.status, tooLong.body.error.code]).toEqual([422, 'invalid_retention']);
    expect(notANumber.status).toBe(400);
    expect((await hookline.request('GET', '/v1/retention', { key })).body.payload_retention_seconds).toBe(2_592_000);
  });

  it('removes the data and the bodies once the payload window has passed, and keeps the record of what happened', async () => {
    const { key } = await workspaceWith({ payload_retention_seconds: 2, record_retention_seconds: 3_600 });
    const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { email: EMAIL }, subject: 'contact_1' });
    const delivered = await onlyDeliveryOf(hookline, key, eventId, 'succeeded');
    expect(delivered.attempts[0].response.body_excerpt).toContain(EMAIL);
    expect(delivered.payload).toBe('kept');

    const event = await purgeUntil(async () => {
      const answer = await hookline.request('GET', `/v1/events/${eventId}`, { key });
      return answer.body.payload === 'expired' ? answer.body : undefined;
    }, 'the payload to expire');

    expect(event).toMatchObject({ id: eventId, type: 'contact.created', data: null, status: 'accepted' });
    const delivery = (await hookline.request('GET', `/v1/deliveries/${delivered.id}`, { key })).body;
    expect(delivery).toMatchObject({ id: delivered.id, status: 'succeeded', attempt_count: 1, payload: 'expired' });
    expect(delivery.attempts[0]).toMatchObject({
      attempt_number: 1,
      request: { url: `${receiver.url}/`, headers: {} },
      response: { status: 200, body_excerpt: null, headers: {} },
    });
    const rows = JSON.stringify([
      await hookline.db.selectFrom('events').selectAll().where('id', '=', eventId).execute(),
      await hookline.db.selectFrom('attempts').selectAll().where('delivery_id', '=', delivered.id).execute(),
    ]);
    expect(rows).not.toContain(EMAIL);
    expect(rows).not.toContain(encodeURIComponent(EMAIL));
  });

  it('deletes the records once the record window has passed, and counts what it purged on /metrics', async () => {
    const { key } = await workspaceWith({ payload_retention_seconds: 1, record_retention_seconds: 2 });
    const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { email: EMAIL } });
    const delivered = await onlyDeliveryOf(hookline, key, eventId, 'succeeded');

    await purgeUntil(async () => ((await hookline.request('GET', `/v1/events/${eventId}`, { key })).status === 404 ? true : undefined), 'the event to go');

    expect((await hookline.request('GET', `/v1/deliveries/${delivered.id}`, { key })).status).toBe(404);
    expect(await hookline.db.selectFrom('attempts').select('delivery_id').where('delivery_id', '=', delivered.id).execute()).toEqual([]);
    const metrics = await scrape(`${hookline.baseUrl}/metrics`);
    expect(metrics.value('hookline_purged_rows_total', { table: 'events', kind: 'record' })).toBeGreaterThanOrEqual(1);
    expect(metrics.value('hookline_purged_rows_total', { table: 'attempts', kind: 'record' })).toBeGreaterThanOrEqual(1);
    expect(metrics.value('hookline_purged_bytes_total', { table: 'events', kind: 'payload' })).toBeGreaterThan(0);
    expect(metrics.samples.find((sample) => sample.name === 'hookline_oldest_row_age_seconds' && sample.labels.table === 'events')).toBeDefined();
  });

  it('keeps the data of a delivery still held for a paused destination, however old, and sends it when the destination is back', async () => {
    const { key } = await hookline.createWorkspace();
    await hookline.request('PATCH', '/v1/retention', { key, body: { payload_retention_seconds: 1, record_retention_seconds: 3_600 } });
    const paused = await makeDestination(hookline, key, { url: `${receiver.url}/paused`, event_types: ['held.*'], enabled: false });
    await makeDestination(hookline, key, { url: `${receiver.url}/live`, event_types: ['sent.*'] });
    const heldId = await postEvent(hookline, key, { type: 'held.contact', data: { email: EMAIL } });
    const sentId = await postEvent(hookline, key, { type: 'sent.contact', data: { email: 'someone.else@example.com' } });
    await eventWhen(hookline, key, heldId, (e) => e.deliveries[0]?.status === 'held', 'the delivery to be held');
    await onlyDeliveryOf(hookline, key, sentId, 'succeeded');

    // Both are past the payload window: the sent one loses its data, the held one stays whole.
    await purgeUntil(
      async () => ((await hookline.request('GET', `/v1/events/${sentId}`, { key })).body.payload === 'expired' ? true : undefined),
      "the sent event's payload to expire",
    );
    expect((await hookline.request('GET', `/v1/events/${heldId}`, { key })).body).toMatchObject({ payload: 'kept', data: { email: EMAIL } });

    await hookline.request('PATCH', `/v1/destinations/${paused.id}`, { key, body: { enabled: true } });
    const sent = await onlyDeliveryOf(hookline, key, heldId, 'succeeded');
    expect(sent.attempts[0].response.body_excerpt).toBe(`thanks for ${EMAIL}`);
  });
});
