// The event workflow as it was before inline first attempts: a child delivery workflow per destination.
// Kept registered so that event workflows started by earlier releases replay and finish; remove once none are open.
import { executeChild, proxyLocalActivities } from '@temporalio/workflow';
import type { HooklineActivities } from '../../activities/activities';
import type { EventWorkflowInput, EventWorkflowResult } from '../contracts';
import { childOptions, startDelivery } from '../delivery-child';
import { deliveryWorkflow } from '../delivery.workflow';

const { planEventDeliveries } = proxyLocalActivities<HooklineActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

export async function eventWorkflow(input: EventWorkflowInput): Promise<EventWorkflowResult> {
  const plan = await planEventDeliveries(input);
  const toStart = plan.deliveries.filter((delivery) => delivery.status === 'pending' || delivery.status === 'held');
  if (input.test) {
    const [delivery] = toStart;
    if (!delivery) return { deliveries: plan.deliveries };
    const result = await executeChild(deliveryWorkflow, childOptions(input, delivery));
    return { deliveries: plan.deliveries, test: result };
  }
  await Promise.all(toStart.map((delivery) => startDelivery(childOptions(input, delivery))));
  return { deliveries: plan.deliveries };
}
