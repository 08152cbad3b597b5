// How a delivery is sent: live (the destination's schedule, paused destinations hold it) or a test send a person waits for.

export interface DeliveryMode {
  readonly kind: 'live' | 'test';
  /** The attempts it may make, of the destination's own cap. */
  attemptCap(maxAttempts: number): number;
  /** Whether a paused destination holds it (a test send is how a person checks a destination before re-enabling it). */
  readonly heldWhenPaused: boolean;
  /** Whether a failure may go on later, in a delivery workflow (a test send's answer is its one attempt). */
  readonly retriesLater: boolean;
  /** Whether its final outcome counts toward the destination's failure streak. */
  readonly countsForHealth: boolean;
}

export const LIVE: DeliveryMode = { kind: 'live', attemptCap: (maxAttempts) => maxAttempts, heldWhenPaused: true, retriesLater: true, countsForHealth: true };

/** A test send makes one attempt, whatever the destination's state: a person is waiting for its answer. */
export const TEST: DeliveryMode = { kind: 'test', attemptCap: () => 1, heldWhenPaused: false, retriesLater: false, countsForHealth: false };

export function deliveryMode(isTest: boolean): DeliveryMode {
  return isTest ? TEST : LIVE;
}
