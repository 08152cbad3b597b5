// How an event workflow hands a delivery to a delivery workflow of its own: a child that outlives it, started once.
import { ParentClosePolicy, startChild, WorkflowIdReusePolicy, type ChildWorkflowOptions, type WithWorkflowArgs } from '@temporalio/workflow';
import type { AttemptSummary, EventWorkflowInput, PlannedDelivery } from '../contracts/delivery';
import { deliveryStart } from './delivery-start';
import { deliveryWorkflow } from './delivery.workflow';
import { deliverySummary } from './summaries';

export function childOptions(
  input: EventWorkflowInput,
  delivery: PlannedDelivery,
  after: {
    held: boolean;
    attemptsMade: number;
    retryInMs: number | null;
    lastAttempt?: AttemptSummary | null;
    queuedMs?: number;
    turnAtMs?: number;
    waitsForLane?: boolean;
  } | null = null,
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
    held: after?.held ?? delivery.status === 'held',
    subjectHash: input.subjectHash,
  });
  return {
    workflowId: start.workflowId,
    // Deliveries outlive the event workflow; a re-run must not start a finished delivery again.
    parentClosePolicy: ParentClosePolicy.ABANDON,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: start.typedSearchAttributes,
    // What the inline attempt got, so the UI's list says why this delivery has a workflow of its own.
    staticSummary: deliverySummary({
      ...start.input,
      held: start.input.held ?? false,
      lastAttempt: after?.lastAttempt ?? null,
      retryInMs: after?.retryInMs ?? null,
    }),
    args: [
      after && after.attemptsMade > 0
        ? {
            ...start.input,
            attemptsMade: after.attemptsMade,
            retryInMs: after.retryInMs,
            ...(after.lastAttempt?.request ? { request: after.lastAttempt.request } : {}),
          }
        : after?.queuedMs
          ? {
              ...start.input,
              queuedMs: after.queuedMs,
              ...(after.turnAtMs !== undefined ? { turnAtMs: after.turnAtMs } : {}),
              ...(after.waitsForLane ? { waitsForLane: true } : {}),
            }
          : start.input,
    ],
  };
}

export async function startDelivery(options: ReturnType<typeof childOptions>): Promise<void> {
  try {
    await startChild(deliveryWorkflow, options);
  } catch (error) {
    // Already started by an earlier run of this event workflow: that delivery is in hand.
    if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
  }
}
