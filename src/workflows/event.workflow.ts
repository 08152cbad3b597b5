// One accepted event: store it, plan its deliveries, and start one delivery workflow per destination.
import {
  ParentClosePolicy,
  proxyLocalActivities,
  startChild,
  executeChild,
  WorkflowIdReusePolicy,
  type ChildWorkflowOptions,
  type WithWorkflowArgs,
} from '@temporalio/workflow';
import type { HooklineActivities } from '../activities/activities';
import type { EventWorkflowInput, EventWorkflowResult, PlannedDelivery } from './contracts';
import { deliveryStart } from './delivery-start';
import { deliveryWorkflow } from './delivery.workflow';

// A local activity: one short transaction needs no trip through the server's task queue, and the
// Temporal server is where most of a delivery's CPU goes (bench/README.md). Idempotent by event id, so a
// retry after a lost workflow task is harmless.
const { planEventDeliveries } = proxyLocalActivities<HooklineActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

function childOptions(
  input: EventWorkflowInput,
  delivery: PlannedDelivery,
  retryWindowMs: number,
): WithWorkflowArgs<typeof deliveryWorkflow, Omit<ChildWorkflowOptions, 'typeInfo'>> {
  const start = deliveryStart({
    deliveryId: delivery.deliveryId,
    workspaceId: input.workspaceId,
    destinationId: delivery.destinationId,
    eventId: input.eventId,
    eventType: input.type,
    isTest: input.test !== undefined,
    maxAttempts: delivery.maxAttempts,
    timeoutSeconds: delivery.timeoutSeconds,
    retryWindowMs,
    held: delivery.status === 'held',
  });
  return {
    workflowId: start.workflowId,
    // Deliveries outlive the event workflow; a re-run must not start a finished delivery again.
    parentClosePolicy: ParentClosePolicy.ABANDON,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: start.typedSearchAttributes,
    args: [start.input],
  };
}

export async function eventWorkflow(input: EventWorkflowInput): Promise<EventWorkflowResult> {
  const plan = await planEventDeliveries(input);
  // Held deliveries get a workflow too: it waits, durably, for the destination to be released.
  const toStart = plan.deliveries.filter((delivery) => delivery.status === 'pending' || delivery.status === 'held');

  if (input.test) {
    const [delivery] = toStart;
    if (!delivery) return { deliveries: plan.deliveries };
    const result = await executeChild(deliveryWorkflow, childOptions(input, delivery, plan.retryWindowMs));
    return { deliveries: plan.deliveries, test: result };
  }

  await Promise.all(
    toStart.map(async (delivery) => {
      try {
        await startChild(deliveryWorkflow, childOptions(input, delivery, plan.retryWindowMs));
      } catch (error) {
        // Already started by an earlier run of this event workflow: that delivery is in hand.
        if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
      }
    }),
  );
  return { deliveries: plan.deliveries };
}
