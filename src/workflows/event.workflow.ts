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
import { deliveryWorkflowId } from '../domain/workflow-ids';
import type { EventWorkflowInput, EventWorkflowResult, PlannedDelivery } from './contracts';
import { deliveryWorkflow } from './delivery.workflow';
import { deliveryStatusAttribute, destinationIdAttribute, eventTypeAttribute, workspaceIdAttribute } from './search-attributes';

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
  return {
    workflowId: deliveryWorkflowId(delivery.deliveryId),
    // Deliveries outlive the event workflow; a re-run must not start a finished delivery again.
    parentClosePolicy: ParentClosePolicy.ABANDON,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: [
      { key: workspaceIdAttribute, value: input.workspaceId },
      { key: destinationIdAttribute, value: delivery.destinationId },
      { key: eventTypeAttribute, value: input.type },
      { key: deliveryStatusAttribute, value: delivery.status === 'held' ? 'held' : 'delivering' },
    ],
    args: [
      {
        deliveryId: delivery.deliveryId,
        workspaceId: input.workspaceId,
        destinationId: delivery.destinationId,
        eventId: input.eventId,
        eventType: input.type,
        maxAttempts: delivery.maxAttempts,
        timeoutSeconds: delivery.timeoutSeconds,
        retryWindowMs,
        ...(delivery.status === 'held' ? { held: true } : {}),
      },
    ],
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
