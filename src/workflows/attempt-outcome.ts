// What an attempt's failure says, read back in workflow code: its type, message and the attempt it recorded.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { FailureType, type AttemptSummary, type UnsentDetails } from './contracts';

export interface AttemptFailure {
  type: string | undefined;
  message: string;
  /** Null when the attempt could not record itself (a worker that died, a database that was down). */
  attempt: AttemptSummary | null;
  /** For an Unsent failure: the receiver's attempts made in this run of the schedule before it. */
  unsent: UnsentDetails | null;
}

export function failureOf(error: unknown): AttemptFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    if (cause.type === FailureType.Unsent) {
      const unsent = cause.details?.[0] as UnsentDetails | undefined;
      return { type: cause.type, message: cause.message, attempt: null, unsent: unsent ?? { attemptsMade: 0 } };
    }
    const detail = cause.details?.[0] as AttemptSummary | undefined;
    return { type: cause.type ?? undefined, message: cause.message, attempt: detail ?? null, unsent: null };
  }
  return { type: undefined, message: cause instanceof Error ? cause.message : String(cause), attempt: null, unsent: null };
}

/** What the event workflow does with a delivery after its inline first attempt. */
export type FirstAttemptVerdict =
  /** Nothing more to do: succeeded, failed for good (the attempt recorded it), or cancelled. */
  | { kind: 'done'; status: 'succeeded' | 'failed' | 'cancelled'; lastAttempt: AttemptSummary | null }
  /** A delivery workflow takes over: retries on the schedule, or waits for the paused destination. */
  | { kind: 'escalate'; held: boolean; attemptsMade: number; retryInMs: number | null; lastAttempt: AttemptSummary | null };

export function verdictOfSuccess(summary: AttemptSummary): FirstAttemptVerdict {
  return { kind: 'done', status: 'succeeded', lastAttempt: summary };
}

/**
 * A retryable failure with a next delay goes on in a delivery workflow after that delay; a paused destination
 * holds it there. A failure that did not record an attempt (the worker or database failed, not the receiver)
 * starts the schedule afresh, so it does not use up one of the receiver's attempts.
 */
export function verdictOfFailure(error: unknown, isTest: boolean): FirstAttemptVerdict {
  const failure = failureOf(error);
  switch (failure.type) {
    case FailureType.Cancelled:
      return { kind: 'done', status: 'cancelled', lastAttempt: failure.attempt };
    case FailureType.Paused:
      return isTest ? { kind: 'done', status: 'failed', lastAttempt: null } : { kind: 'escalate', held: true, attemptsMade: 0, retryInMs: null, lastAttempt: null };
    case FailureType.Retryable: {
      const retryInMs = failure.attempt?.retryInMs ?? null;
      if (retryInMs === null || isTest) return { kind: 'done', status: 'failed', lastAttempt: failure.attempt };
      return { kind: 'escalate', held: false, attemptsMade: 1, retryInMs, lastAttempt: failure.attempt };
    }
    case FailureType.Permanent:
    case FailureType.Gone:
    case FailureType.TemplateError:
      return { kind: 'done', status: 'failed', lastAttempt: failure.attempt };
    case FailureType.WorkspaceBusy:
    // Nothing the receiver did: the delivery workflow starts the schedule from its first attempt.
    case FailureType.Unsent:
      return { kind: 'escalate', held: false, attemptsMade: 0, retryInMs: null, lastAttempt: null };
    default:
      if (isTest) return { kind: 'done', status: 'failed', lastAttempt: failure.attempt };
      return { kind: 'escalate', held: false, attemptsMade: 0, retryInMs: null, lastAttempt: failure.attempt };
  }
}
