// GET /v1/destinations/:id/stats: totals, success rates, the last 24 hours, the last delivery and the failure streak.
import { sql } from 'kysely';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { refusal } from './destination-fixtures';
import { byOutcome, deliverOne, destinationFor, type DeliveryJson, type Workspace } from './delivery-fixtures';

describe('destination statistics', () => {
  let hookline: HooklineHarness;
  let workspace: Workspace;
  let receiver: Receiver;

  beforeAll(async () => {
    hookline = await startHookline();
    workspace = await hookline.createWorkspace('stats');
    receiver = await startReceiver(byOutcome(400));
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  const stats = async (destination: string) => {
    const response = await hookline.request('GET', `/v1/destinations/${destination}/stats`, { key: workspace.key });
    expect(response.status).toBe(200);
    return response.body;
  };
  const ok = (destination: string, n: number) => deliverOne(hookline, workspace, destination, { n }, 'succeeded');
  const fail = (destination: string, n: number) => deliverOne(hookline, workspace, destination, { n, outcome: 'fail' }, 'failed');

  it('reports zeros, null rates and no last delivery for a destination that has sent nothing', async () => {
    const destination = await destinationFor(hookline, workspace, receiver);
    const empty = { deliveries: 0, succeeded: 0, failed: 0, success_rate: null };
    expect(await stats(destination)).toEqual({ ...empty, last_24h: empty, last_delivery: null, consecutive_failures: 0 });
  });

  it('counts a mix of successes and failures, and the failures since the latest success', async () => {
    const destination = await destinationFor(hookline, workspace, receiver);
    await ok(destination, 1);
    await fail(destination, 2);
    await ok(destination, 3);
    await ok(destination, 4);
    await fail(destination, 5);
    const last = await fail(destination, 6);

    const body = await stats(destination);
    const counts = { deliveries: 6, succeeded: 3, failed: 3, success_rate: 0.5 };
    expect(body).toMatchObject({ ...counts, last_24h: counts, consecutive_failures: 2 });
    expect(body.last_delivery).toEqual({
      id: last.id,
      status: 'failed',
      status_code: 400,
      error: expect.stringContaining('400'),
      at: expect.any(String),
    });
  });

  it('leaves test sends out of every number', async () => {
    const destination = await destinationFor(hookline, workspace, receiver);
    await ok(destination, 1);
    await fail(destination, 2);
    const test = await hookline.request('POST', `/v1/destinations/${destination}/test`, { key: workspace.key, body: {} });
    expect(test.body.ok).toBe(true);

    const body = await stats(destination);
    expect(body).toMatchObject({ deliveries: 2, succeeded: 1, failed: 1, success_rate: 0.5, consecutive_failures: 1 });
    expect(body.last_delivery.id).not.toBe(test.body.delivery_id);
  });

  it('counts only deliveries created in the last 24 hours under last_24h', async () => {
    const destination = await destinationFor(hookline, workspace, receiver);
    const old: DeliveryJson[] = [await ok(destination, 1), await fail(destination, 2), await fail(destination, 3)];
    await ok(destination, 4);
    // Backdating rows is the only way to have two-day-old deliveries in a test run.
    await hookline.db
      .updateTable('deliveries')
      .set({ created_at: sql`created_at - interval '2 days'` as never })
      .where(
        'id',
        'in',
        old.map((d) => d.id),
      )
      .execute();

    const body = await stats(destination);
    expect(body).toMatchObject({ deliveries: 4, succeeded: 2, failed: 2, success_rate: 0.5 });
    expect(body.last_24h).toEqual({ deliveries: 1, succeeded: 1, failed: 0, success_rate: 1 });
  });

  it('answers 404 for a destination that does not exist or was deleted', async () => {
    const destination = await destinationFor(hookline, workspace, receiver);
    await hookline.request('DELETE', `/v1/destinations/${destination}`, { key: workspace.key });
    expect(refusal(await hookline.request('GET', `/v1/destinations/${destination}/stats`, { key: workspace.key }))).toEqual({
      status: 404,
      code: 'not_found',
    });
    expect(refusal(await hookline.request('GET', '/v1/destinations/dst_nope/stats', { key: workspace.key }))).toEqual({
      status: 404,
      code: 'not_found',
    });
  });
});
