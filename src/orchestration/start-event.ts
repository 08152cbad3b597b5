// Starts an accepted event's workflow (the outbox relay, test sends) once whoever asks, and awaits a test send's outcome.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../config/config';
import { eventWorkflowId } from '../domain/ids';
import { DeadlineExceededError, UnavailableError } from '../domain/errors';
import { isTemporalUnavailable } from './availability';
import type { DeliveryWorkflowResult, EventWorkflowInput } from '../contracts/delivery';
import { deliverEventWorkflow } from '../workflows/event.workflow';
import { subjectHash as hashOfSubject } from '../domain/retention';
import { eventTypeAttribute, subjectHashAttribute, workspaceIdAttribute } from '../workflows/search-attributes';
import { eventSummary } from '../workflows/summaries';

export interface StartedEvent {
  workflowId: string;
  /** False when the workflow was started before (by another relay, or the caller that accepted it). */
  started: boolean;
  /** True when the start handed its first workflow task straight to this process's worker (eager start). */
  eager: boolean;
}

/**
 * Starts an accepted event's workflow; REJECT_DUPLICATE makes a second start of the same event (a relay after a
 * crash, two relays at once) a no-op, so each event runs once. `eagerStarts`, when given, is a client on the
 * NativeConnection of a worker in this process that polls the task queue: the start then asks for the first
 * workflow task in its answer (eager start), sparing the server its matching and dispatch; the server and the SDK
 * fall back to matching when that worker has no free slot.
 */
export async function startEventWorkflow(temporal: Client, config: Config, input: EventWorkflowInput, eagerStarts?: Client): Promise<StartedEvent> {
  const workflowId = eventWorkflowId(input.eventId);
  const subjectHash = input.subject === null ? undefined : hashOfSubject(config.encryptionKey, input.workspaceId, input.subject);
  try {
    // Bounded: while the frontend is down the caller learns it in seconds, not at the gRPC deadline.
    const starter = eagerStarts ?? temporal;
    const handle = await starter.withDeadline(Date.now() + config.temporal.startTimeoutMs, () =>
      starter.workflow.start(deliverEventWorkflow, {
        workflowId,
        taskQueue: config.temporal.taskQueue,
        args: [subjectHash === undefined ? input : { ...input, subjectHash }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        staticSummary: eventSummary(input),
        typedSearchAttributes: [
          { key: workspaceIdAttribute, value: input.workspaceId },
          { key: eventTypeAttribute, value: input.type },
          ...(subjectHash !== undefined ? [{ key: subjectHashAttribute, value: subjectHash }] : []),
        ],
        ...(eagerStarts ? { requestEagerStart: true } : {}),
      }),
    );
    return { workflowId, started: true, eager: handle.eagerlyStarted };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false, eager: false };
    if (isTemporalUnavailable(error)) throw new UnavailableError('temporal_unavailable', 'Temporal did not accept the start in time; try again later');
    throw error;
  }
}

/**
 * Waits for a test send's one delivery; a worker that is down or stuck becomes a DeadlineExceeded, not a
 * caller waiting forever. Null when nothing was planned (the destination was deleted meanwhile).
 */
export async function awaitTestOutcome(temporal: Client, workflowId: string, timeoutMs: number): Promise<DeliveryWorkflowResult | null> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const result = await temporal.withAbortSignal(deadline, () => temporal.workflow.getHandle<typeof deliverEventWorkflow>(workflowId).result());
    return result.test ?? null;
  } catch (error) {
    if (!deadline.aborted) throw error;
    throw new DeadlineExceededError(
      'test_timed_out',
      `The test delivery did not finish within ${Math.round(timeoutMs / 1000)} s; it stays in the history (workflow ${workflowId})`,
    );
  }
}
