// Signals a delivery workflow (retry, release), starting a fresh run for the same delivery row when none is open.
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import type { Config } from '../config/config';
import { releaseSignal, retrySignal } from '../contracts/delivery';
import { subjectHash } from '../domain/retention';
import { deliveryStart } from '../workflows/delivery-start';
import { deliveryWorkflow } from '../workflows/delivery.workflow';

/** A delivery row with what its workflow needs from the destination (the attempt cap and timeout live there). */
export interface SignallableDelivery {
  id: string;
  workspace_id: string;
  destination_id: string;
  event_id: string;
  event_type: string;
  is_test: boolean;
  max_attempts: number;
  timeout_seconds: number;
  /** The event's subject: its keyed hash goes on the workflow, so an erasure finds it. */
  subject: string | null;
}

/**
 * signal-with-start covers both cases in one call: an open workflow (waiting in its retry window, or held)
 * receives the signal; a completed one is started afresh and finds the signal as its first event.
 */
async function signalDelivery(temporal: Client, config: Config, row: SignallableDelivery, signal: SignalDefinition<[]>): Promise<string> {
  const start = deliveryStart({
    deliveryId: row.id,
    workspaceId: row.workspace_id,
    destinationId: row.destination_id,
    eventId: row.event_id,
    eventType: row.event_type,
    isTest: row.is_test,
    maxAttempts: row.max_attempts,
    timeoutSeconds: row.timeout_seconds,
    held: false,
    subjectHash: row.subject === null ? undefined : subjectHash(config.encryptionKey, row.workspace_id, row.subject),
  });
  await temporal.workflow.signalWithStart(deliveryWorkflow, {
    workflowId: start.workflowId,
    taskQueue: config.temporal.taskQueue,
    signal,
    signalArgs: [],
    args: [start.input],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: start.typedSearchAttributes,
    staticSummary: start.staticSummary,
  });
  return start.workflowId;
}

/**
 * A manual retry: a workflow still open in its retry window runs the schedule again from attempt 1; a
 * completed one (window over, or succeeded) is started afresh for the same row. The workflow, not the API, sets the row's status.
 */
export function restartDelivery(temporal: Client, config: Config, row: SignallableDelivery): Promise<string> {
  return signalDelivery(temporal, config, row, retrySignal);
}

/** Wakes a held delivery once its destination is back (or discarded, so that it ends as cancelled). */
export function releaseDelivery(temporal: Client, config: Config, row: SignallableDelivery): Promise<string> {
  return signalDelivery(temporal, config, row, releaseSignal);
}
