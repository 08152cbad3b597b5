// What an operator sees in the Temporal UI: a delivery that failed for good is a Failed workflow, and lists read as sentences.
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

describe('the Temporal UI tells the truth', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;

  beforeAll(async () => {
    hookline = await startHookline({ HOOKLINE_RETRY_SCHEDULE: '200ms', HOOKLINE_RETRY_JITTER: '0' });
    receiver = await startReceiver(() => ({ status: 503, body: 'down for maintenance' }));
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  /** The ids of workflows a visibility query finds; the dev server's visibility lags a little behind. */
  async function listed(query: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const workflow of hookline.temporal.workflow.list({ query })) ids.push(workflow.workflowId);
    return ids;
  }

  it('lists a delivery that failed for good under ExecutionStatus = "Failed", with a summary naming the request and its answer', async () => {
    const { key } = await hookline.createWorkspace('temporal ui');
    const destination = await makeDestination(hookline, key, { url: `${receiver.url}/hooks`, event_types: ['contact.*'], max_attempts: 2 });
    const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { id: 'c_1' }, subject: 'c_1' });
    const delivery = await onlyDeliveryOf(hookline, key, eventId, 'failed');

    const failed = await eventually(async () => {
      const ids = await listed(`ExecutionStatus = "Failed" AND HooklineDestinationId = "${destination.id}"`);
      return ids.length > 0 ? ids : undefined;
    }, 'the failed delivery workflow in the visibility list');
    expect(failed).toEqual([`delivery-${delivery.id}`]);

    const deliveryWorkflow = await hookline.temporal.workflow.getHandle(`delivery-${delivery.id}`).describe();
    expect(deliveryWorkflow.status.name).toBe('FAILED');
    expect(await deliveryWorkflow.staticSummary()).toBe(`contact.created: POST ${receiver.url}/hooks → 503, attempt 1 of 2, next in 200 ms`);

    const eventWorkflow = await hookline.temporal.workflow.getHandle(`event-${eventId}`).describe();
    expect(eventWorkflow.status.name).toBe('COMPLETED');
    expect(await eventWorkflow.staticSummary()).toBe('contact.created for c_1');
  });
});
