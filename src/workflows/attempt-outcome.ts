// What an attempt's failure says, read back in workflow code: its type, message and the attempt it recorded.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { FirstAttemptVerdict } from '../contracts/delivery';
import { attemptFailure, verdictOf, type AttemptFailure } from './first-attempt-verdict';

export type { AttemptFailure } from './first-attempt-verdict';

export function failureOf(error: unknown): AttemptFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return attemptFailure(cause.type, cause.message, cause.details);
  return { type: undefined, message: cause instanceof Error ? cause.message : String(cause), attempt: null, unsent: null };
}

/** The verdict on a first attempt made as a local activity of its own (the event workflows of earlier releases). */
export function verdictOfFailure(error: unknown, isTest: boolean): FirstAttemptVerdict {
  return verdictOf(failureOf(error), isTest);
}
