// Workspace isolation of delivery management: another workspace's deliveries and destinations answer 404 and stay untouched.
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { refusal } from './destination-fixtures';
import { deliverOne, destinationFor, readDelivery, type DeliveryJson, type Workspace } from './delivery-fixtures';

describe('workspace isolation of delivery management', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let owner: Workspace;
  let intruder: Workspace;
  let destination: string;
  let failed: DeliveryJson;

  beforeAll(async () => {
    hookline = await startHookline();
    receiver = await startReceiver(() => ({ status: 400, body: 'rejected' }));
    owner = await hookline.createWorkspace('owner');
    intruder = await hookline.createWorkspace('intruder');
    destination = await destinationFor(hookline, owner, receiver);
    failed = await deliverOne(hookline, owner, destination, { secret_field: 'owner data' }, 'failed');
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  const foreignCalls: Array<[string, string, unknown]> = [
    ['GET', '/v1/deliveries/:delivery', undefined],
    ['POST', '/v1/deliveries/:delivery/retry', undefined],
    ['POST', '/v1/destinations/:destination/retry-failed?since=2000-01-01T00:00:00Z', undefined],
    ['GET', '/v1/destinations/:destination/stats', undefined],
    ['POST', '/v1/destinations/:destination/test', {}],
  ];
  const pathOf = (template: string) => template.replace(':delivery', failed.id).replace(':destination', destination);

  it.each(foreignCalls)('answers %s %s from another workspace with 404 not_found', async (method, template, body) => {
    const response = await hookline.request(method, pathOf(template), { key: intruder.key, body });
    expect(refusal(response)).toEqual({ status: 404, code: 'not_found' });
    expect(JSON.stringify(response.body)).not.toContain('owner data');
  });

  it('lists none of the owner’s deliveries, whatever the filter names', async () => {
    for (const query of ['', `destination_id=${destination}`, `event_id=${failed.event_id}`, 'status=failed']) {
      const response = await hookline.request('GET', `/v1/deliveries?${query}`, { key: intruder.key });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: [], next_cursor: null });
    }
  });

  it('sends nothing and changes nothing of the owner’s after every foreign call', async () => {
    for (const [method, template, body] of foreignCalls) await hookline.request(method, pathOf(template), { key: intruder.key, body });
    expect(receiver.requests).toHaveLength(1);
    expect(await readDelivery(hookline, owner, failed.id)).toMatchObject({ status: 'failed', attempt_count: 1 });
    const owned = await hookline.request('GET', `/v1/deliveries?destination_id=${destination}`, { key: owner.key });
    expect(owned.body.data.map((d: DeliveryJson) => d.id)).toEqual([failed.id]);
  });
});
