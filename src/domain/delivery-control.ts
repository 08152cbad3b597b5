// The rules of delivery control per destination: a rate limit, a cap on open requests and the receiver's own push-back, as pure decisions on a pacing state.
/*
 * The rate limit is GCRA (a token bucket kept as one timestamp): a request may go when the theoretical arrival time,
 * less the burst's tolerance, has come. A delivery that may not go sleeps in its workflow (a timer: no attempt, no
 * worker slot) until a turn: turns are handed out one after another from the end of the destination's queue, spaced
 * by the interval the limit allows, so the sleepers wake in order and each finds its token. A fresh request never
 * jumps a queue that exists; one that woke for its turn does not queue again unless the destination refuses it again.
 */

export interface RateLimit {
  requests: number;
  perSeconds: number;
  /** Requests beyond the rate the destination may take at once after a quiet spell. */
  burst: number;
}

/** A person's settings: both null on a destination that is not controlled (it never reaches these rules). */
export interface DeliveryControl {
  rateLimit: RateLimit | null;
  maxConcurrent: number | null;
}

// `ordering`: behind an earlier delivery (or event) of the same subject on an ordered destination (domain/ordered-lanes.ts).
// `coalescing`: at the head of its lane on a coalescing destination, waiting for the window to close (domain/coalescing.ts).
export const QUEUE_REASONS = ['rate_limit', 'concurrency', 'throttled', 'ordering', 'coalescing'] as const;
export type QueueReason = (typeof QUEUE_REASONS)[number];

/** A stored reason read back; anything unknown (a row written by a later release) reads as the rate limit. */
export function queueReasonOf(stored: string | null): QueueReason {
  return (QUEUE_REASONS as readonly string[]).includes(stored ?? '') ? (stored as QueueReason) : 'rate_limit';
}

/** What PostgreSQL keeps per controlled (or pushed-back) destination; times in epoch milliseconds. */
export interface PacingState {
  /** GCRA's theoretical arrival time: when the bucket would be full again. */
  tatMs: number;
  /** The next free turn for a delivery that must wait; in the past when nothing waits. */
  queueEndMs: number;
  queueReason: QueueReason | null;
  /** A Retry-After from the receiver: nothing goes to it before then. */
  throttledUntilMs: number | null;
  /** AIMD: the share of the rate in force after the receiver's last 429 without Retry-After, and since when it recovers. */
  rateShare: number;
  shareSinceMs: number | null;
  /** The rate AIMD halves on a destination without a limit of its own: what it was being sent when it pushed back. */
  adaptiveBaseRps: number | null;
  /** How long a request takes, on average: spaces the turns of deliveries waiting for an open slot. */
  meanSendMs: number;
}

export const INITIAL_PACING: Omit<PacingState, 'tatMs' | 'queueEndMs'> = {
  queueReason: null,
  throttledUntilMs: null,
  rateShare: 1,
  shareSinceMs: null,
  adaptiveBaseRps: null,
  meanSendMs: 100,
};

/** Additive increase: the share of the full rate regained per second after a halving (full again within 10 s of one). */
export const RECOVERY_PER_SECOND = 0.1;
const MIN_SHARE = 1 / 64;
/**
 * A limit is paced 5 % under its figure. Requests leave one interval apart, but each reaches the receiver after its own
 * delay (the permit's commit, the event loop, the network): limit + 1 arrivals need limit intervals, so the headroom
 * tolerates 5 % of the period (50 ms a second) of such jitter before a receiver counting any window sees one too many.
 */
export const PACING_HEADROOM = 1.05;

/** The limit as it is paced: the person's figure, its period stretched by the headroom. */
export function pacedLimit(limit: RateLimit): RateLimit {
  return { ...limit, perSeconds: limit.perSeconds * PACING_HEADROOM };
}
/** A token at most this far ahead is waited for in the attempt itself rather than in a queued turn. */
export const INLINE_WAIT_MS = 250;
/**
 * A delivery queued behind the rate wakes this long before its turn: a Temporal timer and the activity it schedules
 * arrive late on a busy server, and a token nobody takes in time is lost (the bucket never lends it later). Woken early,
 * it finds its token within INLINE_WAIT_MS and waits the rest in the attempt, so the queue drains at the limit.
 */
export const WAKE_LEAD_MS = 200;

/** How long a delivery sleeps for a turn: early by the lead for a rate's token, on time for anything else. */
function sleepFor(reason: QueueReason, turnAtMs: number, nowMs: number): number {
  const lead = reason === 'rate_limit' ? WAKE_LEAD_MS : 0;
  return Math.max(1, Math.ceil(turnAtMs - nowMs - lead));
}

/** Turns are never closer than this, so a queue behind a pause drains as a stream, not a stampede. */
const MIN_TURN_MS = 10;
/** A receiver that refuses in bursts halves the rate once per second at most (one halving per round of refusals). */
const HALVING_SPACING_MS = 1_000;

export type Permit =
  | {
      granted: true;
      /** The token's time and the decision's, on the database's clock (domain/send-timing.ts reads them on the worker's). */
      tokenAtMs: number;
      decidedAtMs: number;
      state: PacingState;
    }
  | { granted: false; reason: QueueReason; waitMs: number; turnAtMs: number; state: PacingState };

export function isControlled(control: DeliveryControl): boolean {
  return control.rateLimit !== null || control.maxConcurrent !== null;
}

/** Whether a send must ask for a permit: the destination is controlled, or its receiver pushed back until a time still ahead. */
export function needsPermit(control: DeliveryControl, throttledUntil: Date | null, now: Date): boolean {
  return isControlled(control) || (throttledUntil !== null && throttledUntil.getTime() > now.getTime());
}

function shareAt(state: PacingState, nowMs: number): number {
  if (state.shareSinceMs === null) return 1;
  return Math.min(1, state.rateShare + (RECOVERY_PER_SECOND * (nowMs - state.shareSinceMs)) / 1000);
}

/** Requests per second allowed now, or null when nothing limits the rate. */
export function allowedRate(control: DeliveryControl, state: PacingState, nowMs: number): number | null {
  const share = shareAt(state, nowMs);
  if (control.rateLimit) return (control.rateLimit.requests / control.rateLimit.perSeconds) * share;
  if (state.adaptiveBaseRps === null || share >= 1) return null;
  return state.adaptiveBaseRps * share;
}

/**
 * May this request go now? `openRequests` counts the destination's live leases other than this delivery's;
 * `wokenForTurn` is a delivery that slept until the turn this function gave it.
 */
export function decidePermit(control: DeliveryControl, state: PacingState, request: { nowMs: number; openRequests: number; wokenForTurn: boolean }): Permit {
  const { nowMs } = request;
  const rate = allowedRate(control, state, nowMs);
  const intervalMs = rate === null ? 0 : 1000 / rate;
  const toleranceMs = control.rateLimit ? control.rateLimit.burst * intervalMs : 0;
  // The bucket's own time for this request: never earlier, so the receiver never sees more than the limit and burst.
  const tokenAtMs = intervalMs > 0 ? Math.max(nowMs, state.tatMs - toleranceMs) : nowMs;
  let reason: QueueReason | null = null;
  let earliestMs = nowMs;
  if (state.throttledUntilMs !== null && state.throttledUntilMs > nowMs) {
    reason = 'throttled';
    earliestMs = state.throttledUntilMs;
  } else if (!request.wokenForTurn && state.queueEndMs > nowMs) {
    reason = state.queueReason ?? 'rate_limit';
  } else if (tokenAtMs - nowMs > INLINE_WAIT_MS) {
    reason = 'rate_limit';
    earliestMs = tokenAtMs;
  } else if (control.maxConcurrent !== null && request.openRequests >= control.maxConcurrent) {
    reason = 'concurrency';
  }
  if (reason === null) {
    // A token a few milliseconds ahead is waited for in the attempt (a timer of the event loop): a round trip through a
    // Temporal timer would cost two actions and, on a busy worker, take longer than the wait, and timer jitter would
    // cascade down the queue (each late wake-up delaying the next one's token).
    return {
      granted: true,
      tokenAtMs,
      decidedAtMs: nowMs,
      state: { ...state, tatMs: Math.max(state.tatMs, tokenAtMs) + intervalMs },
    };
  }
  // A delivery woken for its turn that came early (a token taken by a retry meanwhile) keeps its place: it waits for the
  // token it was meant to have, not at the end of the queue.
  if (request.wokenForTurn && reason === 'rate_limit') {
    return { granted: false, reason, waitMs: sleepFor(reason, earliestMs, nowMs), turnAtMs: earliestMs, state };
  }
  const turnAtMs = Math.max(state.queueEndMs, earliestMs, nowMs);
  // Turns are spaced by the rate at the turn, not now: after a halving the queue drains faster as the rate recovers.
  const rateAtTurn = allowedRate(control, state, turnAtMs);
  const spacingMs = Math.max(
    MIN_TURN_MS,
    reason === 'concurrency' && control.maxConcurrent ? state.meanSendMs / control.maxConcurrent : rateAtTurn === null ? 0 : 1000 / rateAtTurn,
  );
  return {
    granted: false,
    reason,
    waitMs: sleepFor(reason, turnAtMs, nowMs),
    turnAtMs,
    state: { ...state, queueEndMs: turnAtMs + spacingMs, queueReason: reason },
  };
}

/** The receiver pushed back: a 429 (or a 503 with Retry-After). `retryAfterMs` already clamped by the retry policy. */
export interface Pushback {
  retryAfterMs: number | null;
  statusCode: number;
}

/** Which answers push back on the whole destination: any 429, and a 503 that says when to come back. */
export function pushbackOf(statusCode: number, retryAfterMs: number | null): Pushback | null {
  if (statusCode === 429 || (statusCode === 503 && retryAfterMs !== null)) return { statusCode, retryAfterMs };
  return null;
}

/**
 * A Retry-After stops every send until the time it names. A 429 without one halves the rate (once per round of
 * refusals) and lets it recover additively; a destination without a limit is halved from what it was being sent
 * (`observedRps`, counted by the store only then).
 */
export function afterPushback(control: DeliveryControl, state: PacingState, pushback: Pushback, nowMs: number, observedRps: number | null): PacingState {
  if (pushback.retryAfterMs !== null) {
    const until = nowMs + pushback.retryAfterMs;
    return { ...state, throttledUntilMs: Math.max(state.throttledUntilMs ?? 0, until) };
  }
  if (state.shareSinceMs !== null && nowMs - state.shareSinceMs < HALVING_SPACING_MS) return state;
  // What it was sent is counted from deliveries created lately, which misses retries: a rate learnt before stays the floor.
  const base = control.rateLimit ? null : Math.max(1, observedRps ?? 1, state.adaptiveBaseRps ?? 0);
  return { ...state, rateShare: Math.max(MIN_SHARE, shareAt(state, nowMs) / 2), shareSinceMs: nowMs, adaptiveBaseRps: base };
}

/**
 * What a destination without a limit was being sent when it pushed back: the deliveries made for it lately, over the
 * time they span (at least a second), so a burst that has just begun is not read as a slow trickle.
 */
export function observedRate(recent: { count: number; oldestMs: number | null }, nowMs: number): number {
  if (recent.count === 0 || recent.oldestMs === null) return 0;
  return recent.count / Math.max(1, (nowMs - recent.oldestMs) / 1000);
}

/** When the push-back is over: what the destination row carries, so an attempt knows without a read whether to ask for a permit. */
export function pushbackEndsAt(state: PacingState): number | null {
  const recoveredAt = state.shareSinceMs === null ? null : state.shareSinceMs + ((1 - state.rateShare) / RECOVERY_PER_SECOND) * 1000;
  const ends = Math.max(state.throttledUntilMs ?? 0, recoveredAt ?? 0);
  return ends === 0 ? null : ends;
}

/** What the console and API say about a pushed-back destination. */
export function pushbackReason(pushback: Pushback): string {
  if (pushback.retryAfterMs !== null) return `HTTP ${pushback.statusCode} with Retry-After: every delivery waits ${Math.ceil(pushback.retryAfterMs / 1000)} s`;
  return `HTTP ${pushback.statusCode} without Retry-After: the send rate was halved and recovers step by step`;
}

/** How much one request's duration moves the mean that spaces turns for a capped destination (an exponential mean). */
export const SEND_DURATION_WEIGHT = 0.2;
