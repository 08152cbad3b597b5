// GET /v1/deliveries: every filter narrows to what it names, and cursor pages are complete and stable, newest first.
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { refusal } from './destination-fixtures';
import { byOutcome, deliverOne, deliveryOf, deliveryReaches, destinationFor, sendEvent, type DeliveryJson, type Workspace } from './delivery-fixtures';

describe('listing deliveries', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let workspace: Workspace;
  let contacts: string;
  let everything: string;
  /** Every delivery the specs made, in the order they were made. */
  const made: DeliveryJson[] = [];
  let between: string;

  const list = async (query: string): Promise<DeliveryJson[]> => {
    const response = await hookline.request('GET', `/v1/deliveries?limit=100&${query}`, { key: workspace.key });
    expect(response.status).toBe(200);
    expect(response.body.next_cursor).toBeNull();
    return response.body.data;
  };
  const ids = (deliveries: DeliveryJson[]) => deliveries.map((d) => d.id).sort();
  const madeWhere = (predicate: (d: DeliveryJson) => boolean) => ids(made.filter(predicate));

  beforeAll(async () => {
    hookline = await startHookline();
    receiver = await startReceiver(byOutcome(400));
    workspace = await hookline.createWorkspace('lists');
    contacts = await destinationFor(hookline, workspace, receiver, { name: 'contacts', event_types: ['contact.*'] });
    everything = await destinationFor(hookline, workspace, receiver, { name: 'everything', event_types: ['*'] });
    // Each contact event goes to both destinations; the receiver fails the ones marked outcome=fail.
    const both = async (type: string, data: Record<string, unknown>, status: string) => {
      const eventId = await sendEvent(hookline, workspace, type, data);
      for (const destination of [contacts, everything]) {
        const planned = await deliveryOf(hookline, workspace, eventId, destination);
        made.push(await deliveryReaches(hookline, workspace, planned.id, status));
      }
    };
    await both('contact.created', { n: 1 }, 'succeeded');
    await both('contact.updated', { n: 2, outcome: 'fail' }, 'failed');
    await both('contact.created', { n: 3 }, 'succeeded');
    between = new Date().toISOString();
    await both('contact.deleted', { n: 4 }, 'succeeded');
    made.push(await deliverOne(hookline, workspace, everything, { n: 5 }, 'succeeded', 'invoice.paid'));
    await both('contact.updated', { n: 6, outcome: 'fail' }, 'failed');
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  it('lists every delivery of the workspace newest first, ties broken by id', async () => {
    const all = await list('');
    expect(ids(all)).toEqual(ids(made));
    for (let i = 1; i < all.length; i++) {
      const [newer, older] = [all[i - 1]!, all[i]!];
      expect(newer.created_at >= older.created_at).toBe(true);
      if (newer.created_at === older.created_at && newer.event_id === older.event_id) expect(newer.id > older.id).toBe(true);
    }
  });

  it('walks pages that together hold every delivery exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=3&cursor=${cursor}` : 'limit=3';
      const page = await hookline.request('GET', `/v1/deliveries?${query}`, { key: workspace.key });
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.data.map((d: DeliveryJson) => d.id));
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(Math.ceil(made.length / 3));
    expect(seen).toEqual((await list('')).map((d) => d.id));
  });

  it('keeps later pages unchanged when new deliveries arrive while paging', async () => {
    const before = (await list('')).map((d) => d.id);
    const first = await hookline.request('GET', '/v1/deliveries?limit=4', { key: workspace.key });
    const fresh = await deliverOne(hookline, workspace, everything, { n: 'late' }, 'succeeded', 'invoice.paid');
    const rest: string[] = [];
    let cursor: string | null = first.body.next_cursor;
    while (cursor !== null) {
      const page = await hookline.request('GET', `/v1/deliveries?limit=4&cursor=${cursor}`, { key: workspace.key });
      rest.push(...page.body.data.map((d: DeliveryJson) => d.id));
      cursor = page.body.next_cursor;
    }
    expect([...first.body.data.map((d: DeliveryJson) => d.id), ...rest]).toEqual(before);
    expect(rest).not.toContain(fresh.id);
    made.push(fresh);
    const newest = await hookline.request('GET', '/v1/deliveries?limit=1', { key: workspace.key });
    expect(newest.body.data.map((d: DeliveryJson) => d.id)).toEqual([fresh.id]);
  });

  it('filters by destination', async () => {
    expect(ids(await list(`destination_id=${contacts}`))).toEqual(madeWhere((d) => d.destination_id === contacts));
  });

  it('filters by event', async () => {
    const eventId = made[2]!.event_id;
    const deliveries = await list(`event_id=${eventId}`);
    expect(ids(deliveries)).toEqual(madeWhere((d) => d.event_id === eventId));
    expect(deliveries).toHaveLength(2);
  });

  it('filters by status', async () => {
    const failed = await list('status=failed');
    expect(ids(failed)).toEqual(madeWhere((d) => d.status === 'failed'));
    expect(failed).toHaveLength(4);
  });

  it('filters by exact event type', async () => {
    expect(ids(await list('event_type=contact.updated'))).toEqual(madeWhere((d) => d.event_type === 'contact.updated'));
    expect(await list('event_type=contact.*')).toEqual([]);
  });

  it('filters by creation time: since is inclusive, until exclusive, and they split the list', async () => {
    const after = await list(`since=${encodeURIComponent(between)}`);
    const before = await list(`until=${encodeURIComponent(between)}`);
    expect(ids(before)).toEqual(ids(made.slice(0, 6)));
    expect(ids(after)).toEqual(ids(made.slice(6)));
    const newest = made[made.length - 1]!;
    expect(ids(await list(`since=${encodeURIComponent(newest.created_at)}`))).toContain(newest.id);
    expect(ids(await list(`until=${encodeURIComponent(newest.created_at)}`))).not.toContain(newest.id);
  });

  it('combines filters', async () => {
    const deliveries = await list(`destination_id=${contacts}&status=failed&since=${encodeURIComponent(between)}`);
    // Only the last failing contact event is both after `between` and to the contacts destination.
    expect(deliveries.map((d) => d.id)).toEqual([made[9]!.id]);
    expect(made[9]).toMatchObject({ destination_id: contacts, status: 'failed' });
  });

  it('filters test sends in or out', async () => {
    const test = await hookline.request('POST', `/v1/destinations/${contacts}/test`, { key: workspace.key, body: {} });
    expect(test.status).toBe(200);
    const tests = await list('is_test=true');
    expect(tests.map((d) => d.id)).toEqual([test.body.delivery_id]);
    expect(tests[0]).toMatchObject({ is_test: true, event_type: 'webhook.test', destination_id: contacts });
    expect(ids(await list('is_test=false'))).toEqual(ids(made));
  });

  it.each([
    ['status=bogus', 'validation_failed'],
    ['since=yesterday', 'validation_failed'],
    ['is_test=maybe', 'validation_failed'],
    ['limit=0', 'validation_failed'],
    [`cursor=${Buffer.from('not a key').toString('base64url')}`, 'invalid_cursor'],
    [`cursor=${Buffer.from('2025-02-30T00:00:00.000000Z|dlv_x').toString('base64url')}`, 'invalid_cursor'],
    [`cursor=${Buffer.from('2025-13-01T00:00:00.000000Z|dlv_x').toString('base64url')}`, 'invalid_cursor'],
  ])('refuses ?%s with 400 %s', async (query, code) => {
    const response = await hookline.request('GET', `/v1/deliveries?${query}`, { key: workspace.key });
    expect(refusal(response)).toEqual({ status: 400, code });
  });

  it('refuses a cursor whose key carries the year 0000 with 400 invalid_cursor naming the cursor', async () => {
    const cursor = Buffer.from('0000-01-01T00:00:00.000000Z|dlv_x').toString('base64url');
    const response = await hookline.request('GET', `/v1/deliveries?cursor=${cursor}`, { key: workspace.key });
    expect(refusal(response)).toEqual({ status: 400, code: 'invalid_cursor' });
    expect(response.body.error.details).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
  });
});
