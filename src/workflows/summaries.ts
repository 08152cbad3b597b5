// The one-line summaries the Temporal UI shows for Hookline's workflows, activities and timers (pure: workflows import it).
import type { AttemptSummary, EventWorkflowInput } from '../contracts/delivery';

/** "200 ms", "5 s", "30 m", "2 h", "1 d 4 h": how the README writes the retry schedule. */
export function shortDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** An event workflow in a list: its type and subject, or the destination a test send goes to. */
export function eventSummary(input: Pick<EventWorkflowInput, 'type' | 'subject' | 'test'>): string {
  if (input.test) return `${input.type} test send to ${input.test.destinationId}`;
  return input.subject ? `${input.type} for ${input.subject}` : input.type;
}

/** What an attempt got: "→ 503", or the error's first words when there was no answer. */
function answerOf(attempt: AttemptSummary): string {
  if (attempt.statusCode !== null) return `→ ${attempt.statusCode}`;
  return `→ ${(attempt.error ?? 'no answer').split(':')[0]}`;
}

export interface DeliverySituation {
  eventType: string;
  destinationId: string;
  maxAttempts: number;
  held?: boolean;
  /** The event workflow's inline first attempt, when it was made. */
  lastAttempt?: AttemptSummary | null;
  retryInMs?: number | null;
}

/** Where the delivery goes: the request the first attempt made, else the destination id. */
export function deliveryTarget(situation: Pick<DeliverySituation, 'destinationId' | 'lastAttempt'>): string {
  return situation.lastAttempt?.request ?? situation.destinationId;
}

/** e.g. "contact.created: POST https://crm.example/hooks → 503, attempt 1 of 8, next in 5 s". */
export function deliverySummary(situation: DeliverySituation): string {
  const head = `${situation.eventType}: ${deliveryTarget(situation)}`;
  if (situation.held) return `${head}, held while the destination is paused`;
  const attempt = situation.lastAttempt;
  if (!attempt) return `${head}, ${situation.maxAttempts} attempts on the retry schedule`;
  const next = situation.retryInMs ? `, next in ${shortDuration(situation.retryInMs)}` : '';
  return `${head} ${answerOf(attempt)}, attempt ${attempt.attemptNumber} of ${situation.maxAttempts}${next}`;
}

/**
 * The attempt activity's retry policy as shown (1 s, ×2) only covers a worker that died mid-attempt: every failure
 * from a receiver names its own delay (the schedule with jitter, or Retry-After), so the summary says that.
 */
export function attemptActivitySummary(target: string, firstAttempt: number, maxAttempts: number): string {
  const range = firstAttempt >= maxAttempts ? `attempt ${maxAttempts}` : `attempts ${firstAttempt}–${maxAttempts}`;
  return `${target}: ${range} of ${maxAttempts}, each delay from the retry schedule or the receiver's Retry-After`;
}

/** The event workflow's one local activity: "plan contact.created and make its first attempts". */
export function planSummary(eventType: string): string {
  return `plan ${eventType} and make its first attempts`;
}

export function firstAttemptSummary(destinationId: string, maxAttempts: number): string {
  return `first attempt (1 of ${maxAttempts}) to ${destinationId}`;
}

export function retryTimerSummary(nextAttempt: number, maxAttempts: number, lastAttempt: AttemptSummary | null | undefined): string {
  const after = lastAttempt ? ` after ${answerOf(lastAttempt).slice(2)}` : '';
  return `wait for attempt ${nextAttempt} of ${maxAttempts}${after}`;
}

/** A delivery asleep until its turn under the destination's pacing: "waits 3 s for its turn (rate_limit)". */
export function turnTimerSummary(waitMs: number, reason = 'rate_limit'): string {
  return `waits ${shortDuration(waitMs)} for its turn (${reason.replace('_', ' ')})`;
}
