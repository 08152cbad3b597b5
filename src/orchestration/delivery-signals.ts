// Signals a delivery workflow by id, starting a fresh run for the same delivery row when none is open.
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../config/config';
import type { DeliveryWorkflowInput, DeliveryWorkflowResult } from '../workflows/contracts';
import { deliveryStatusAttribute, destinationIdAttribute, eventTypeAttribute, workspaceIdAttribute } from '../workflows/search-attributes';

/** A delivery row with what its workflow needs from the destination (the attempt cap and timeout live there). */
export interface SignallableDelivery {
  id: string;
  workspace_id: string;
  destination_id: string;
  event_id: string;
  event_type: string;
  workflow_id: string;
  is_test: boolean;
  max_attempts: number;
  timeout_seconds: number;
}

/** What a delivery workflow (re)starts with; a test delivery keeps its single attempt and no retry window. */
export function deliveryInputFor(row: SignallableDelivery, config: Config): DeliveryWorkflowInput {
  return {
    deliveryId: row.id,
    workspaceId: row.workspace_id,
    destinationId: row.destination_id,
    eventId: row.event_id,
    eventType: row.event_type,
    maxAttempts: row.is_test ? 1 : row.max_attempts,
    timeoutSeconds: row.timeout_seconds,
    retryWindowMs: row.is_test ? 0 : config.delivery.retryWindowMs,
  };
}

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
