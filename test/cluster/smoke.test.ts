// The cluster's smoke (what `npm test` runs of it): one event accepted by one replica, delivered, read on the other.
import { cluster } from '../support/cluster';
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { startReceiver, type Receiver } from '../support/receiver';

describe('the cluster (smoke)', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver?.close());

  it('delivers an event accepted by api-1 through the multi-service Temporal, and api-2 shows it succeeded', async () => {
    const [first, second] = cluster().replicas;
    const { key } = await first.createWorkspace('Cluster smoke');
    await makeDestination(first, key, { url: `${receiver.url}/smoke`, event_types: ['*'] });

    const eventId = await postEvent(first, key, { type: 'contact.created', data: { id: 'c_smoke' } });
    const delivery = await onlyDeliveryOf(second, key, eventId, 'succeeded');

    expect(delivery).toMatchObject({ attempt_count: 1, last_status_code: 200 });
    const [request] = await receiver.waitForRequests(1);
    expect(JSON.parse(request!.body)).toMatchObject({ id: eventId, type: 'contact.created', data: { id: 'c_smoke' } });
  });
});
