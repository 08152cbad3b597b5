import type { WorkflowExecutionInfo } from '@temporalio/client';
import { eventWhen, makeDestination, postEvent } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

describe('search attributes of the workflows that deliver', () => {
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

  /** Workflow ids a visibility query finds, once it finds exactly `expected` (visibility is eventually consistent). */
  async function idsFound(query: string, expected: string[]): Promise<string[]> {
    const want = [...expected].sort();
    return eventually(
      async () => {
        const found: WorkflowExecutionInfo[] = [];
        for await (const execution of hookline.temporal.workflow.list({ query })) found.push(execution);
        const ids = found.map((execution) => execution.workflowId).sort();
        return JSON.stringify(ids) === JSON.stringify(want) ? ids : undefined;
      },
      `${query} to find ${want.join(', ')}`,
    );
  }

  it('finds every workflow that delivered to a destination by destination, status, event type and workspace', async () => {
    const { id: workspaceId, key } = await hookline.createWorkspace();
    const wanted = await makeDestination(hookline, key, { url: `${receiver.url}/wanted`, event_types: ['*'] });
    const other = await makeDestination(hookline, key, { url: `${receiver.url}/other`, event_types: ['invoice.*'] });
    const eventType = 'contact.created';

    const eventIds = await Promise.all([
      postEvent(hookline, key, { type: eventType, data: { n: 1 } }),
      postEvent(hookline, key, { type: eventType, data: { n: 2 } }),
      postEvent(hookline, key, { type: 'invoice.paid', data: { n: 3 } }),
    ]);
    const events = await Promise.all(
      eventIds.map((id) =>
        eventWhen(
          hookline,
          key,
          id,
          (e) => e.deliveries.length > 0 && e.deliveries.every((d: { status: string }) => d.status === 'succeeded'),
          `event ${id} delivered`,
        ),
      ),
    );
    type Summary = { destination_id: string; workflow_id: string };
    const workflowsOf = (list: typeof events, destinationId?: string): string[] => [
      ...new Set(
        list
          .flatMap((e) => e.deliveries as Summary[])
          .filter((d) => !destinationId || d.destination_id === destinationId)
          .map((d) => d.workflow_id),
      ),
    ];
    // Delivered on the first attempt: each event's own workflow made every delivery, whatever its fan-out.
    const everyWorkflow = workflowsOf(events);
    expect(everyWorkflow.sort()).toEqual(eventIds.map((id) => `event-${id}`).sort());

    expect(await idsFound(`HooklineDestinationId="${wanted.id}"`, workflowsOf(events, wanted.id))).toHaveLength(3);
    expect(await idsFound(`HooklineDestinationId="${other.id}"`, workflowsOf(events, other.id))).toHaveLength(1);
    expect(await idsFound(`HooklineDestinationId="${wanted.id}" AND HooklineDeliveryStatus="succeeded"`, workflowsOf(events, wanted.id))).toHaveLength(3);
    expect(await idsFound(`HooklineDestinationId="${wanted.id}" AND HooklineEventType="${eventType}"`, workflowsOf(events.slice(0, 2)))).toHaveLength(2);
    expect(await idsFound(`HooklineWorkspaceId="${workspaceId}" AND WorkflowType="deliverEventWorkflow"`, everyWorkflow)).toHaveLength(3);
  });
});
