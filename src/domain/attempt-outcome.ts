// What becomes of a delivery after an attempt: the row's status and the next delay, then what the event workflow does with it.
import { FailureType, type AttemptSummary, type FirstAttemptVerdict, type QueuedDetails, type UnsentDetails } from '../contracts/delivery';
import type { DeliveryMode } from './delivery-mode';
import { FIRST_LANE_WAIT_MS } from './ordered-lanes';
import { retryDelayMs, type AttemptOutcome } from './retry-policy';

/** Where an attempt stands in its destination's schedule: 1-based, of the attempts the delivery may make. */
export interface SchedulePosition {
  attempt: number;
  maxAttempts: number;
}

/** The destination-independent half of the retry policy (config), and the randomness its jitter draws on. */
export interface RetryTiming {
  scheduleMs: number[];
  jitter: number;
  retryAfterMinMs: number;
  retryAfterMaxMs: number;
  random: () => number;
}

export interface AttemptDecision {
  /** The delivery row's status once this attempt is recorded. */
  status: 'succeeded' | 'delivering' | 'failed';
  /** When the next try is due, or null when this outcome is final (a success, not retryable, or the last try). */
  nextDelayMs: number | null;
  /** Whether a final outcome counts toward the destination's failure streak (test sends never do). */
  countsForHealth: boolean;
}

/** The receiver's Retry-After (already parsed, in ms) outranks the schedule; either way the delay is clamped by the policy. */
export function decideAfterAttempt(
  outcome: AttemptOutcome,
  position: SchedulePosition,
  retryAfterMs: number | null,
  timing: RetryTiming,
  mode: DeliveryMode,
): AttemptDecision {
  const retries = outcome.kind === 'retryable' && position.attempt < position.maxAttempts;
  const nextDelayMs = retries
    ? retryDelayMs({
        attempt: position.attempt,
        scheduleMs: timing.scheduleMs,
        jitter: timing.jitter,
        random: timing.random,
        retryAfterMs,
        retryAfterMinMs: timing.retryAfterMinMs,
        retryAfterMaxMs: timing.retryAfterMaxMs,
      })
    : null;
  const status = outcome.kind === 'success' ? 'succeeded' : nextDelayMs !== null ? 'delivering' : 'failed';
  return { status, nextDelayMs, countsForHealth: nextDelayMs === null && mode.countsForHealth };
}

export interface AttemptFailure {
  type: string | undefined;
  message: string;
  /** Null when the attempt could not record itself (a worker that died, a database that was down). */
  attempt: AttemptSummary | null;
  /** For an Unsent failure: the receiver's attempts made in this run of the schedule before it. */
  unsent: UnsentDetails | null;
  /** For a Queued failure: where the schedule stands and how long until the delivery's turn. */
  queued?: QueuedDetails | null;
}

/** An attempt's failure from an ApplicationFailure's parts, however it was caught (a workflow's ActivityFailure cause, or thrown in the activity). */
export function attemptFailure(type: string | null | undefined, message: string, details: readonly unknown[] | null | undefined): AttemptFailure {
  if (type === FailureType.Unsent) {
    const unsent = details?.[0] as UnsentDetails | undefined;
    return { type, message, attempt: null, unsent: unsent ?? { attemptsMade: 0 } };
  }
  if (type === FailureType.Queued) {
    const queued = details?.[0] as QueuedDetails | undefined;
    return { type, message, attempt: null, unsent: null, queued: queued ?? { attemptsMade: 0, waitMs: 1_000, reason: 'rate_limit' } };
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
export function verdictOf(failure: AttemptFailure, mode: DeliveryMode): FirstAttemptVerdict {
  switch (failure.type) {
    case FailureType.Cancelled:
      return { kind: 'done', status: 'cancelled', lastAttempt: failure.attempt };
    case FailureType.Superseded:
      return { kind: 'done', status: 'superseded', lastAttempt: null };
    case FailureType.Paused:
      return mode.heldWhenPaused
        ? { kind: 'escalate', held: true, attemptsMade: 0, retryInMs: null, lastAttempt: null }
        : { kind: 'done', status: 'failed', lastAttempt: null };
    case FailureType.Retryable: {
      const retryInMs = failure.attempt?.retryInMs ?? null;
      if (retryInMs === null || !mode.retriesLater) return { kind: 'done', status: 'failed', lastAttempt: failure.attempt };
      return { kind: 'escalate', held: false, attemptsMade: 1, retryInMs, lastAttempt: failure.attempt };
    }
    case FailureType.Permanent:
    case FailureType.Gone:
    case FailureType.TemplateError:
      return { kind: 'done', status: 'failed', lastAttempt: failure.attempt };
    // Nothing was sent: the delivery workflow makes the first attempt when its turn comes.
    case FailureType.Queued:
      // Behind its lane, the new workflow looks again soon: a turn passed before it exists reaches no one.
      if (failure.queued?.reason === 'ordering') {
        return {
          kind: 'escalate',
          held: false,
          attemptsMade: 0,
          retryInMs: null,
          lastAttempt: null,
          queuedMs: Math.min(failure.queued.waitMs, FIRST_LANE_WAIT_MS),
          waitsForLane: true,
        };
      }
      return {
        kind: 'escalate',
        held: false,
        attemptsMade: 0,
        retryInMs: null,
        lastAttempt: null,
        queuedMs: failure.queued?.waitMs ?? 1_000,
        ...(failure.queued?.turnAtMs !== undefined ? { turnAtMs: failure.queued.turnAtMs } : {}),
      };
    // Nothing the receiver did: the delivery workflow starts the schedule from its first attempt.
    case FailureType.WorkspaceBusy:
    case FailureType.Unsent:
      return { kind: 'escalate', held: false, attemptsMade: 0, retryInMs: null, lastAttempt: null };
    default:
      if (!mode.retriesLater) return { kind: 'done', status: 'failed', lastAttempt: failure.attempt };
      return { kind: 'escalate', held: false, attemptsMade: 0, retryInMs: null, lastAttempt: failure.attempt };
  }
}
