// Starts an accepted event's workflow (ingestion, test sends, emitted events), durable in Temporal before any 202, and awaits a test send's outcome.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../config/config';
import { deterministicId, eventWorkflowId, newId } from '../domain/ids';
import { DeadlineExceededError, RuleViolationError, UnavailableError } from '../domain/errors';
import { isTemporalUnavailable } from './availability';
import type { DeliveryWorkflowResult, EventWorkflowInput } from '../contracts/delivery';
import { deliverEventWorkflow } from '../workflows/event.workflow';
import { eventTypeAttribute, workspaceIdAttribute } from '../workflows/search-attributes';
import { eventSummary } from '../workflows/summaries';

export interface IncomingEvent {
  workspaceId: string;
  type: string;
  data: unknown;
  subject: string | null;
  occurredAt: Date | null;
  /** What the request asked for, when it came with an Idempotency-Key: a reuse with another body is refused. */
  fingerprint?: string;
  idempotencyKey: string | null;
  test?: { destinationId: string };
}

export interface StartedEvent {
  eventId: string;
  workflowId: string;
  /** True when an earlier request with the same Idempotency-Key already started it. */
  replayed: boolean;
  /** True when the start handed its first workflow task straight to this process's worker (eager start). */
  eager: boolean;
}

/** Same key, same workspace → same event id → same workflow id, so concurrent duplicates collapse into one. */
function eventIdFor(event: IncomingEvent): string {
  return event.idempotencyKey === null ? newId('evt') : deterministicId('evt', event.workspaceId, event.idempotencyKey);
}

/**
 * `eagerStarts`, when given, is a client on the NativeConnection of a worker in this process that polls the task
 * queue: the start then asks for the first workflow task in its answer (eager start), sparing the server the task's
 * matching and dispatch. The server and the SDK fall back to matching when that worker has no free slot.
 */
export async function startEvent(temporal: Client, config: Config, event: IncomingEvent, now: Date, eagerStarts?: Client): Promise<StartedEvent> {
  const eventId = eventIdFor(event);
  const workflowId = eventWorkflowId(eventId);
  const input: EventWorkflowInput = {
    eventId,
    workspaceId: event.workspaceId,
    type: event.type,
    data: event.data,
    subject: event.subject,
    occurredAt: (event.occurredAt ?? now).toISOString(),
    receivedAt: now.toISOString(),
    idempotencyKey: event.idempotencyKey,
    ...(event.test ? { test: event.test } : {}),
  };
  try {
    // Bounded: while the frontend is down the caller gets a 503 to retry (same Idempotency-Key, same event), not a hang.
    const starter = eagerStarts ?? temporal;
    const handle = await starter.withDeadline(Date.now() + config.temporal.startTimeoutMs, () =>
      starter.workflow.start(deliverEventWorkflow, {
        workflowId,
        taskQueue: config.temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        // A memo costs no action: the fingerprint travels with the start, for a later request with the same key to compare.
        ...(event.fingerprint ? { memo: { requestFingerprint: event.fingerprint } } : {}),
        staticSummary: eventSummary(input),
        typedSearchAttributes: [
          { key: workspaceIdAttribute, value: event.workspaceId },
          { key: eventTypeAttribute, value: event.type },
        ],
        ...(eagerStarts ? { requestEagerStart: true } : {}),
      }),
    );
    return { eventId, workflowId, replayed: false, eager: handle.eagerlyStarted };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      if (event.fingerprint) await assertSameRequest(temporal, workflowId, event.fingerprint);
      return { eventId, workflowId, replayed: true, eager: false };
    }
    if (isTemporalUnavailable(error)) {
      throw new UnavailableError(
        'temporal_unavailable',
        'Temporal did not accept the event in time; nothing was accepted, retry with the same Idempotency-Key',
      );
    }
    throw error;
  }
}

/** The request that first used this Idempotency-Key must be the one repeated; a different body is refused, not replayed. */
async function assertSameRequest(temporal: Client, workflowId: string, fingerprint: string): Promise<void> {
  const { memo } = await temporal.workflow.getHandle(workflowId).describe();
  const first = (memo as { requestFingerprint?: unknown } | undefined)?.requestFingerprint;
  // A memo without a fingerprint gives nothing to compare with, so the repeat is answered as a replay.
  if (typeof first === 'string' && first !== fingerprint) {
    throw new RuleViolationError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request body; use a new key for a new event',
      [{ path: 'headers.idempotency-key', message: 'already used with a different body' }],
    );
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
