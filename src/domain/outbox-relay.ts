// When a relay tries an outbox event's start again: at its next poll while Temporal is away, rarely once its workflow runs.

export type StartOutcome = 'started' | 'duplicate' | 'unavailable';

// A duplicate is a workflow that runs and will take the event out of the outbox; one that never does (terminated by
// hand) is looked at again less and less often, up to once an hour, and stays visible in the outbox gauges.
const DUPLICATE_MAX_MS = 3_600_000;

/**
 * The delay before the event's next start, or null to keep the lease just taken: a started workflow takes its event
 * out of the outbox when it plans it, and until then the lease keeps other relays from starting it again. While
 * Temporal is away the relay claims one batch per poll, so a retry at the next poll costs one batch of failed starts
 * a second, and every waiting event is due the moment Temporal is back (no back-off to sit out).
 */
export function nextStartDelayMs(outcome: StartOutcome, startAttempts: number, timing: { leaseMs: number; pollMs: number }): number | null {
  const doublings = Math.max(0, startAttempts - 1);
  switch (outcome) {
    case 'started':
      return null;
    case 'unavailable':
      return timing.pollMs;
    case 'duplicate':
      return doublings === 0 ? null : Math.min(DUPLICATE_MAX_MS, timing.leaseMs * 2 ** Math.min(doublings, 16));
  }
}
