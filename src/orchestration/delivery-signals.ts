// Signals a delivery workflow by id, starting a fresh run for the same delivery row when none is open.
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { DeliveryWorkflowInput, DeliveryWorkflowResult } from '../workflows/contracts';
import { deliveryStatusAttribute, destinationIdAttribute, eventTypeAttribute, workspaceIdAttribute } from '../workflows/search-attributes';

/**
 * signal-with-start covers both cases in one call: an open workflow (waiting in its retry window, or held)
 * receives the signal; a completed one is started afresh and finds the signal as its first event.
 */
export async function signalDeliveryWorkflow(
  temporal: Client,
  taskQueue: string,
  target: { workflowId: string; input: DeliveryWorkflowInput; signal: string },
): Promise<void> {
  const { input } = target;
  await temporal.workflow.signalWithStart<(input: DeliveryWorkflowInput) => Promise<DeliveryWorkflowResult>, []>('deliveryWorkflow', {
    workflowId: target.workflowId,
    taskQueue,
    signal: target.signal,
    signalArgs: [],
    args: [input],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: workspaceIdAttribute, value: input.workspaceId },
      { key: destinationIdAttribute, value: input.destinationId },
      { key: eventTypeAttribute, value: input.eventType },
      { key: deliveryStatusAttribute, value: 'delivering' },
    ],
  });
}
