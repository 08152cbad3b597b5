// The rules of coalescing: on an ordered destination with a window, a subject's burst of events costs the receiver one request, the newest.
/*
 * The window opens with the first unsent event of a subject (the head of its lane) and closes `coalesce_seconds` after
 * that event was accepted. Until then the head waits, queued. When it closes, the newest unsent delivery of the lane
 * goes, at once, and every older unsent one (the head included) is recorded as superseded. Anchoring the window to the
 * burst's first event, not its last, means a subject updated without pause still reaches the receiver once a window,
 * with its latest state, instead of never.
 */

export const MAX_COALESCE_SECONDS = 3_600;

/** Only a delivery's first try coalesces: one already sent (and now retrying) told the receiver something to finish. */
export function coalesces(coalesceSeconds: number | null, scheduleAttempt: number): coalesceSeconds is number {
  return coalesceSeconds !== null && scheduleAttempt === 1;
}

/**
 * When the head's window closes: the time the delivery it superseded handed it (that window has closed already), or
 * its own acceptance plus the window.
 */
export function windowClosesAtMs(head: { receivedAtMs: number; coalesceSeconds: number; handedTurnAtMs: number | null }): number {
  return head.handedTurnAtMs ?? head.receivedAtMs + head.coalesceSeconds * 1000;
}
