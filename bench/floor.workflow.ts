// The Temporal floor's workflow: one no-op activity, the least work a workflow with an activity can do.
import { proxyActivities } from '@temporalio/workflow';

export interface FloorActivities {
  floorNoop(): Promise<void>;
}

const { floorNoop } = proxyActivities<FloorActivities>({ startToCloseTimeout: '30s' });

export async function floorWorkflow(): Promise<void> {
  await floorNoop();
}
