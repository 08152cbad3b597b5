// The Temporal side of an erasure: starting its durable job, and finding and deleting the subject's workflow histories by the keyed hash they carry.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../config/config';
import type { ErasureInput } from '../contracts/lifecycle';
import { UnavailableError } from '../domain/errors';
import { isTemporalUnavailable } from './availability';
import { eraseSubjectWorkflow } from '../workflows/erasure.workflow';
import { subjectHashAttribute } from '../workflows/search-attributes';

export function erasureWorkflowId(erasureId: string): string {
  return `erasure-${erasureId}`;
}

/** Started once per erasure row: a repeat (the API retried after a timeout) finds it running. */
export async function startErasure(temporal: Client, config: Config, input: ErasureInput): Promise<void> {
  try {
    await temporal.withDeadline(Date.now() + config.temporal.startTimeoutMs, () =>
      temporal.workflow.start(eraseSubjectWorkflow, {
        workflowId: erasureWorkflowId(input.erasureId),
        taskQueue: config.temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        staticSummary: `erasure ${input.erasureId} of one subject's workflow histories`,
      }),
    );
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    if (isTemporalUnavailable(error)) throw new UnavailableError('temporal_unavailable', 'Temporal did not accept the erasure in time; send it again');
    throw error;
  }
}

/**
 * Deletes (terminating any still open) the workflows of a subject started before the erasure, and returns how many.
 * Only those: an event of the subject accepted afterwards is delivered as usual. Deleting one that is already gone counts
 * nothing, so a retried pass is harmless.
 */
export async function deleteSubjectWorkflows(
  temporal: Client,
  config: Config,
  subjectHash: string,
  startedBefore: Date,
  onProgress: (deleted: number) => void,
): Promise<number> {
  // The hash is base64url: no quote can end the string early.
  const query = `${subjectHashAttribute.name} = '${subjectHash}' AND StartTime < '${startedBefore.toISOString()}'`;
  let deleted = 0;
  for await (const execution of temporal.workflow.list({ query })) {
    try {
      await temporal.workflowService.deleteWorkflowExecution({
        namespace: config.temporal.namespace,
        workflowExecution: { workflowId: execution.workflowId, runId: execution.runId },
      });
      deleted++;
      onProgress(deleted);
    } catch (error) {
      // NOT_FOUND: another pass (or the namespace's retention) got there first.
      if ((error as { code?: number }).code !== 5) throw error;
    }
  }
  return deleted;
}
