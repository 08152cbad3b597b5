// What becomes of a delivery after its first attempt, decided from that attempt's outcome (pure: the event workflow and the planning activity share it).
import { FailureType, type AttemptSummary, type FirstAttemptVerdict, type UnsentDetails } from '../contracts/delivery';

export interface AttemptFailure {
  type: string | undefined;
  message: string;
  /** Null when the attempt could not record itself (a worker that died, a database that was down). */
  attempt: AttemptSummary | null;
  /** For an Unsent failure: the receiver's attempts made in this run of the schedule before it. */
  unsent: UnsentDetails | null;
}

/** An attempt's failure from an ApplicationFailure's parts, however it was caught (a workflow's ActivityFailure cause, or thrown in the activity). */
export function attemptFailure(type: string | null | undefined, message: string, details: readonly unknown[] | null | undefined): AttemptFailure {
  if (type === FailureType.Unsent) {
    const unsent = details?.[0] as UnsentDetails | undefined;
    return { type, message, attempt: null, unsent: unsent ?? { attemptsMade: 0 } };
  }
  const detail = details?.[0] as AttemptSummary | undefined;
  return { type: type ?? undefined, message, attempt: detail ?? null, unsent: null };
}

export function verdictOfSuccess(summary: AttemptSummary): FirstAttemptVerdict {
  return { kind: 'done', status: 'succeeded', lastAttempt: summary };
}

/**
 * A retryable failure with a next delay goes on in a delivery workflow after that delay; a paused destination
 * holds it there. A failure that did not record an attempt (the worker or database failed, not the receiver)
 * starts the schedule afresh, so it does not use up one of the receiver's attempts.
 */
export function verdictOf(failure: AttemptFailure, isTest: boolean): FirstAttemptVerdict {
  switch (failure.type) {
    case FailureType.Cancelled:
      return { kind: 'done', status: 'cancelled', lastAttempt: failure.attempt };
    case FailureType.Paused:
      return isTest
        ? { kind: 'done', status: 'failed', lastAttempt: null }
        : { kind: 'escalate', held: true, attemptsMade: 0, retryInMs: null, lastAttempt: null };
    case FailureType.Retryable: {
      const retryInMs = failure.attempt?.retryInMs ?? null;
      if (retryInMs === null || isTest) return { kind: 'done', status: 'failed', lastAttempt: failure.attempt };
      return { kind: 'escalate', held: false, attemptsMade: 1, retryInMs, lastAttempt: failure.attempt };
    }
    case FailureType.Permanent:
    case FailureType.Gone:
    case FailureType.TemplateError:
      return { kind: 'done', status: 'failed', lastAttempt: failure.attempt };
    // Nothing the receiver did: the delivery workflow starts the schedule from its first attempt.
    case FailureType.WorkspaceBusy:
    case FailureType.Unsent:
      return { kind: 'escalate', held: false, attemptsMade: 0, retryInMs: null, lastAttempt: null };
    default:
      if (isTest) return { kind: 'done', status: 'failed', lastAttempt: failure.attempt };
      return { kind: 'escalate', held: false, attemptsMade: 0, retryInMs: null, lastAttempt: failure.attempt };
  }
}
