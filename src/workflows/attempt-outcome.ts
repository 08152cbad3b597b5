// What an attempt's failure says, read back in workflow code: the activity's failure unwrapped to its type, message and attempt.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { attemptFailure, type AttemptFailure } from '../domain/attempt-outcome';

export type { AttemptFailure } from '../domain/attempt-outcome';

export function failureOf(error: unknown): AttemptFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return attemptFailure(cause.type, cause.message, cause.details);
  return { type: undefined, message: cause instanceof Error ? cause.message : String(cause), attempt: null, unsent: null };
}
