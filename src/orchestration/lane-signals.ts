// Tells the next delivery of an ordered lane that its turn has come: a signal to its workflow, if it has one open.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { laneTurnSignal } from '../contracts/delivery';
import { deliveryWorkflowId } from '../domain/workflow-ids';

/**
 * A plain signal, never signal-with-start: a delivery without an open workflow is still in its event's workflow (it
 * looks at its lane itself, after this one's outcome was recorded) or done, and needs no new one.
 */
export async function passLaneTurn(temporal: Client, deliveryId: string): Promise<void> {
  try {
    await temporal.workflow.getHandle(deliveryWorkflowId(deliveryId)).signal(laneTurnSignal);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
