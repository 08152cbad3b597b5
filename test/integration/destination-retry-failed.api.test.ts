// POST /v1/destinations/:id/retry-failed: recovery after an outage retries every failed real delivery since a time, in batches.
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { refusal } from './destination-fixtures';
import { deliverOne, deliveryReaches, destinationFor, readDelivery, type DeliveryJson, type Workspace } from './delivery-fixtures';

describe('retrying the failed deliveries of a destination', () => {
  let hookline: HooklineHarness;
  let workspace: Workspace;
  let receiver: Receiver;
  let down = true;

  beforeAll(async () => {
    hookline = await startHookline({ HOOKLINE_RETRY_SCHEDULE: '100ms', HOOKLINE_RETRY_JITTER: '0' });
    workspace = await hookline.createWorkspace('recovery');
    receiver = await startReceiver(() => (down ? { status: 503, body: 'outage' } : { status: 200, body: 'back' }));
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  /** One destination's deliveries failing during an outage, retried as soon as their rows say failed. */
  async function outageOf(destination: string, count: number): Promise<DeliveryJson[]> {
    const failed: DeliveryJson[] = [];
    for (let i = 0; i < count; i++) {
      const delivery = await deliverOne(hookline, workspace, destination, { n: i }, 'failed');
      failed.push(delivery);
    }
    return failed;
  }

  const retryFailed = (destination: string, query: string) =>
    hookline.request('POST', `/v1/destinations/${destination}/retry-failed?${query}`, { key: workspace.key });

  it('retries every failed delivery created at or after `since` and leaves older ones, tests and other destinations alone', async () => {
    down = true;
    const destination = await destinationFor(hookline, workspace, receiver, { max_attempts: 1, event_types: ['contact.*'] });
    const neighbour = await destinationFor(hookline, workspace, receiver, { max_attempts: 1, event_types: ['invoice.*'] });
    const failed = await outageOf(destination, 4);
    const neighbours = await deliverOne(hookline, workspace, neighbour, { n: 'other' }, 'failed', 'invoice.paid');
    const test = await hookline.request('POST', `/v1/destinations/${destination}/test`, { key: workspace.key, body: {} });
    expect(test.body.ok).toBe(false);

    down = false;
    const since = failed[1]!.created_at;
    const response = await retryFailed(destination, `since=${encodeURIComponent(since)}`);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ retried: 3, remaining: 0, next_cursor: null });

    for (const delivery of failed.slice(1)) await deliveryReaches(hookline, workspace, delivery.id, 'succeeded', 2);
    expect(await readDelivery(hookline, workspace, failed[0]!.id)).toMatchObject({ status: 'failed', attempt_count: 1 });
    expect(await readDelivery(hookline, workspace, neighbours.id)).toMatchObject({ status: 'failed', attempt_count: 1 });
    expect(await readDelivery(hookline, workspace, test.body.delivery_id)).toMatchObject({ status: 'failed', attempt_count: 1 });
  });

  it('works in bounded batches, oldest first, continuing from next_cursor', async () => {
    down = true;
    const destination = await destinationFor(hookline, workspace, receiver, { max_attempts: 1 });
    const failed = await outageOf(destination, 3);
    down = false;
    const since = encodeURIComponent(failed[0]!.created_at);

    const first = await retryFailed(destination, `since=${since}&limit=2`);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ retried: 2, remaining: 1, next_cursor: expect.any(String) });
    await deliveryReaches(hookline, workspace, failed[0]!.id, 'succeeded');
    await deliveryReaches(hookline, workspace, failed[1]!.id, 'succeeded');
    expect((await readDelivery(hookline, workspace, failed[2]!.id)).status).toBe('failed');

    const second = await retryFailed(destination, `since=${since}&limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual({ retried: 1, remaining: 0, next_cursor: null });
    await deliveryReaches(hookline, workspace, failed[2]!.id, 'succeeded');
    expect(receiver.requests.filter((request) => failed.some((d) => d.id === request.headers['webhook-id']))).toHaveLength(6);
  });

  it('answers { retried: 0, remaining: 0 } when nothing failed since then', async () => {
    const destination = await destinationFor(hookline, workspace, receiver);
    const response = await retryFailed(destination, `since=${encodeURIComponent(new Date().toISOString())}`);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ retried: 0, remaining: 0, next_cursor: null });
  });

  it('refuses a paused destination with 409 destination_paused and retries nothing', async () => {
    down = true;
    const destination = await destinationFor(hookline, workspace, receiver, { max_attempts: 1 });
    const [failed] = await outageOf(destination, 1);
    await hookline.request('PATCH', `/v1/destinations/${destination}`, { key: workspace.key, body: { enabled: false } });
    const response = await retryFailed(destination, `since=${encodeURIComponent(failed!.created_at)}`);
    expect(refusal(response)).toEqual({ status: 409, code: 'destination_paused' });
    expect((await readDelivery(hookline, workspace, failed!.id)).attempt_count).toBe(1);
  });

  it.each([
    ['', 'validation_failed'],
    ['since=last-week', 'validation_failed'],
    ['since=2025-01-01T00:00:00Z&limit=1001', 'validation_failed'],
    [`since=2025-01-01T00:00:00Z&cursor=${Buffer.from('nope').toString('base64url')}`, 'invalid_cursor'],
  ])('refuses ?%s with 400 %s', async (query, code) => {
    const destination = await destinationFor(hookline, workspace, receiver);
    expect(refusal(await retryFailed(destination, query))).toEqual({ status: 400, code });
  });

  it('refuses a cursor whose key carries the year 0000 with 400 invalid_cursor naming the cursor', async () => {
    const destination = await destinationFor(hookline, workspace, receiver);
    const cursor = Buffer.from('0000-01-01T00:00:00.000000Z|dlv_x').toString('base64url');
    const response = await retryFailed(destination, `since=2025-01-01T00:00:00Z&cursor=${cursor}`);
    expect(refusal(response)).toEqual({ status: 400, code: 'invalid_cursor' });
    expect(response.body.error.details).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
  });

  it('answers 404 for a deleted destination', async () => {
    const destination = await destinationFor(hookline, workspace, receiver);
    await hookline.request('DELETE', `/v1/destinations/${destination}`, { key: workspace.key });
    expect(refusal(await retryFailed(destination, 'since=2025-01-01T00:00:00Z'))).toEqual({ status: 404, code: 'not_found' });
  });
});
