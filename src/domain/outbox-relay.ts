// When a relay tries an outbox event's start again: soon while Temporal is away, rarely once its workflow runs.

export type StartOutcome = 'started' | 'duplicate' | 'unavailable';

/** Temporal away: 1 s, doubling to 30 s, so a long outage costs a few starts a minute per waiting event, not a storm. */
const UNAVAILABLE_FIRST_MS = 1_000;
const UNAVAILABLE_MAX_MS = 30_000;
// A duplicate is a workflow that runs and will take the event out of the outbox; one that never does (terminated by
// hand) is looked at again less and less often, up to once an hour, and stays visible in the outbox gauges.
const DUPLICATE_MAX_MS = 3_600_000;

/**
 * The delay before the event's next start, or null to keep the lease just taken: a started workflow takes its event
 * out of the outbox when it plans it, and until then the lease keeps other relays from starting it again.
 */
export function nextStartDelayMs(outcome: StartOutcome, startAttempts: number, leaseMs: number): number | null {
  const doublings = Math.max(0, startAttempts - 1);
  switch (outcome) {
    case 'started':
      return null;
    case 'unavailable':
      return Math.min(UNAVAILABLE_MAX_MS, UNAVAILABLE_FIRST_MS * 2 ** Math.min(doublings, 16));
    case 'duplicate':
      return doublings === 0 ? null : Math.min(DUPLICATE_MAX_MS, leaseMs * 2 ** Math.min(doublings, 16));
  }
}
