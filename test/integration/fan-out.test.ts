import { verifyWebhook } from '@hookline/verify';
import { eventWhen, makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

describe('event fan-out', () => {
  let hookline: HooklineHarness;
  const receivers: Receiver[] = [];

  async function receiver(): Promise<Receiver> {
    const started = await startReceiver(() => ({ status: 200, body: 'ok' }));
    receivers.push(started);
    return started;
  }

  beforeAll(async () => {
    hookline = await startHookline();
  });

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await hookline?.close();
  });

  it('sends one signed request to each matching destination, rendered by its own templates', async () => {
    const sink = await receiver();
    const { key, id: workspaceId } = await hookline.createWorkspace();
    const exact = await makeDestination(hookline, key, { url: `${sink.url}/exact`, event_types: ['contact.created'] });
    const templated = await makeDestination(hookline, key, {
      name: 'CRM',
      url: `${sink.url}/templated/{{event.type}}`,
      event_types: ['contact.*'],
      query_params: { who: '{{data.email}}', source: 'hookline' },
      headers: { 'X-Contact-Email': '{{data.email}}', 'X-Destination': '{{destination.name}}' },
      body_template: { email: '{{data.email}}', n: '{{data.count}}', label: 'Contact {{data.email}}' },
    });
    const everything = await makeDestination(hookline, key, {
      url: `${sink.url}/everything`,
      event_types: ['*'],
      filter: { 'data.segment_id': { $in: ['seg_1'] } },
    });
    await makeDestination(hookline, key, { url: `${sink.url}/invoices`, event_types: ['invoice.paid'] });
    await makeDestination(hookline, key, {
      url: `${sink.url}/other-segment`,
      event_types: ['*'],
      filter: { 'data.segment_id': { $in: ['seg_2'] } },
    });

    const data = { email: 'ada@example.com', count: 3, segment_id: 'seg_1' };
    const eventId = await postEvent(hookline, key, { type: 'contact.created', data, subject: 'c_1' });

    const event = await eventWhen(
      hookline,
      key,
      eventId,
      (e) => e.deliveries.length === 3 && e.deliveries.every((d: { status: string }) => d.status === 'succeeded'),
      'three succeeded deliveries',
    );
    expect(event.deliveries.map((d: { destination_id: string }) => d.destination_id).sort()).toEqual([exact.id, templated.id, everything.id].sort());
    expect(sink.requests).toHaveLength(3);

    const byPath = (prefix: string) => {
      const found = sink.requests.filter((r) => r.path.startsWith(prefix));
      expect(found).toHaveLength(1);
      return found[0]!;
    };
    const envelope = { id: eventId, type: 'contact.created', timestamp: expect.any(String), workspace_id: workspaceId, data };

    const toExact = byPath('/exact');
    expect(JSON.parse(toExact.body)).toEqual(envelope);
    expect(verifyWebhook({ headers: toExact.headers, body: toExact.body, secret: exact.secret })).toBe(true);

    const toEverything = byPath('/everything');
    expect(JSON.parse(toEverything.body)).toEqual(envelope);
    expect(verifyWebhook({ headers: toEverything.headers, body: toEverything.body, secret: everything.secret })).toBe(true);

    const toTemplated = byPath('/templated/');
    const url = new URL(toTemplated.path, sink.url);
    expect(url.pathname).toBe('/templated/contact.created');
    expect(url.searchParams.get('who')).toBe('ada@example.com');
    expect(url.searchParams.get('source')).toBe('hookline');
    expect(toTemplated.headers['x-contact-email']).toBe('ada@example.com');
    expect(toTemplated.headers['x-destination']).toBe('CRM');
    expect(toTemplated.headers['content-type']).toBe('application/json');
    // A leaf that is exactly one placeholder keeps the value's JSON type; other strings interpolate.
    expect(JSON.parse(toTemplated.body)).toEqual({ email: 'ada@example.com', n: 3, label: 'Contact ada@example.com' });
    expect(verifyWebhook({ headers: toTemplated.headers, body: toTemplated.body, secret: templated.secret })).toBe(true);

    // Each destination signs with its own secret: another's does not verify.
    expect(verifyWebhook({ headers: toTemplated.headers, body: toTemplated.body, secret: exact.secret })).toBe(false);
  });

  it('sends a first_match destination only the first event per subject and records the rest as skipped', async () => {
    const sink = await receiver();
    const { key } = await hookline.createWorkspace();
    await makeDestination(hookline, key, { url: `${sink.url}/first`, event_types: ['contact.*'], trigger: 'first_match' });

    const first = await postEvent(hookline, key, { type: 'contact.updated', data: { n: 1 }, subject: 'contact_1' });
    await onlyDeliveryOf(hookline, key, first, 'succeeded');
    const repeat = await postEvent(hookline, key, { type: 'contact.updated', data: { n: 2 }, subject: 'contact_1' });
    const repeated = await eventWhen(hookline, key, repeat, (e) => e.deliveries.length === 1, 'the repeat to be planned');
    const other = await postEvent(hookline, key, { type: 'contact.updated', data: { n: 3 }, subject: 'contact_2' });
    await onlyDeliveryOf(hookline, key, other, 'succeeded');

    expect(repeated.deliveries[0]).toMatchObject({ status: 'skipped', attempt_count: 0 });
    expect(sink.requests.map((r) => JSON.parse(r.body).id)).toEqual([first, other]);
  });

  it('accepts and stores an event that no destination subscribes to', async () => {
    const sink = await receiver();
    const { key } = await hookline.createWorkspace();
    await makeDestination(hookline, key, { url: `${sink.url}/invoices`, event_types: ['invoice.*'] });

    const eventId = await postEvent(hookline, key, { type: 'contact.deleted', data: { id: 'c_9' }, subject: 'c_9' });

    const event = await eventWhen(hookline, key, eventId, () => true, 'the event to be stored');
    expect(event).toMatchObject({ id: eventId, type: 'contact.deleted', data: { id: 'c_9' }, subject: 'c_9', deliveries: [] });
    expect(sink.requests).toHaveLength(0);
  });
});
