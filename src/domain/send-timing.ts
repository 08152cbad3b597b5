// When a paced request may leave: its token's time (on the database's clock) read on this process's clock, and whether a stall made it late.
/*
 * A rate limit hands out tokens on PostgreSQL's clock, one interval apart. A worker that waits for its token and is then
 * stalled (a busy event loop, a starved CPU) would send late, and the next worker's request, on time, would follow it
 * within milliseconds: the receiver sees two where the limit allows one. So the worker converts the token's time to its
 * own clock, waits until then, and a request that finds itself later than LATE_SEND_MS does not go on that token: it
 * asks for a new one. The clocks' offset is learnt from the permits themselves, as NTP does: each permit's round trip
 * brackets the database's reading, and the tightest bracket of the recent past gives the best estimate.
 */

/** A request this much later than its token's time asks for a fresh token rather than crowd the next one. */
export const LATE_SEND_MS = 25;
/** A request re-asks at most this often; then it goes on its latest token (a lasting stall is not a crowd). */
export const MAX_LATE_READMISSIONS = 3;
/** Offset samples older than this are forgotten, so the estimate follows a clock that drifts. */
const SAMPLE_LIFETIME_MS = 60_000;

export interface OffsetSample {
  /** Database clock minus local clock, estimated as the database read at the round trip's midpoint. */
  offsetMs: number;
  /** Half the round trip: the estimate is within this much. */
  uncertaintyMs: number;
  atMs: number;
}

/** One permit's round trip: local time before and after, and the database's clock reading inside it. */
export function offsetSample(localBeforeMs: number, localAfterMs: number, databaseMs: number): OffsetSample {
  const midpoint = (localBeforeMs + localAfterMs) / 2;
  return { offsetMs: databaseMs - midpoint, uncertaintyMs: Math.max(0, (localAfterMs - localBeforeMs) / 2), atMs: localAfterMs };
}

/** The estimate to use now: the tightest recent sample, or the newest if every one is old. */
export function bestOffset(best: OffsetSample | null, sample: OffsetSample): OffsetSample {
  if (best === null || sample.atMs - best.atMs > SAMPLE_LIFETIME_MS) return sample;
  return sample.uncertaintyMs <= best.uncertaintyMs ? sample : best;
}

/** How long to wait, on the local clock, until a token due at `tokenAtMs` on the database's clock. */
export function waitForTokenMs(tokenAtMs: number, offset: OffsetSample, localNowMs: number): number {
  return Math.max(0, Math.ceil(tokenAtMs - offset.offsetMs - localNowMs));
}

/**
 * Whether a request about to leave is late for its token, beyond what the offset's own uncertainty explains: the
 * estimate can be wrong by its uncertainty, and a request is only held back for lateness that is certain.
 */
export function isLateForToken(tokenAtMs: number, offset: OffsetSample, localNowMs: number): boolean {
  return localNowMs - (tokenAtMs - offset.offsetMs) > LATE_SEND_MS + offset.uncertaintyMs;
}
