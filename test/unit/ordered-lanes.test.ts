// The rules of ordered lanes: who stands in a lane, what holds it, and how a delivery blocked behind it is handed to its workflow.
import { attemptFailure, verdictOf } from '../../src/domain/attempt-outcome';
import { deliveryMode } from '../../src/domain/delivery-mode';
import { DELIVERY_STATUSES } from '../../src/domain/delivery';
import { FIRST_LANE_WAIT_MS, laneOf, laneWaitMs, releasesLane } from '../../src/domain/ordered-lanes';
import { FailureType } from '../../src/contracts/delivery';
import { coalesces, windowClosesAtMs } from '../../src/domain/coalescing';

describe('ordered lanes', () => {
  it('put a delivery in a lane only for an ordered destination, an event with a subject and a place, and never a test send', () => {
    const event = { subject: 'contact_42', seq: 9 };
    expect(laneOf('subject', event, false)).toEqual({ subject: 'contact_42', seq: 9 });
    expect(laneOf('none', event, false)).toBeNull();
    expect(laneOf('subject', event, true)).toBeNull();
    expect(laneOf('subject', { subject: null, seq: 9 }, false)).toBeNull();
    // Accepted before lanes existed: it has no place to keep.
    expect(laneOf('subject', { subject: 'contact_42', seq: null }, false)).toBeNull();
  });

  it('are held by an unfinished delivery, and let go by a success, a failure for good, a cancellation, a skip, an erasure or a newer event taking its place', () => {
    const released = DELIVERY_STATUSES.filter((status) => releasesLane(status));
    expect(released.sort()).toEqual(['cancelled', 'erased', 'failed', 'skipped', 'succeeded', 'superseded']);
  });

  it('wake a blocked delivery by signal; its timer is a net, short only behind an event nobody will signal for', () => {
    expect(laneWaitMs('delivery')).toBe(120_000);
    expect(laneWaitMs('event')).toBe(1_000);
  });

  it('hand a delivery blocked in its event workflow to a delivery workflow that waits for the lane, looking again within a second', () => {
    const failure = attemptFailure(FailureType.Queued, 'queued behind an earlier delivery', [{ attemptsMade: 0, waitMs: 120_000, reason: 'ordering' }]);
    expect(verdictOf(failure, deliveryMode(false))).toEqual({
      kind: 'escalate',
      held: false,
      attemptsMade: 0,
      retryInMs: null,
      lastAttempt: null,
      queuedMs: FIRST_LANE_WAIT_MS,
      waitsForLane: true,
    });
  });
});

describe('coalescing', () => {
  it('coalesces only a first try, on a destination with a window', () => {
    expect(coalesces(5, 1)).toBe(true);
    expect(coalesces(5, 2)).toBe(false);
    expect(coalesces(null, 1)).toBe(false);
  });

  it("closes a head's window its seconds after its event was accepted, or at once when a superseded delivery handed it the turn", () => {
    expect(windowClosesAtMs({ receivedAtMs: 10_000, coalesceSeconds: 5, handedTurnAtMs: null })).toBe(15_000);
    expect(windowClosesAtMs({ receivedAtMs: 10_000, coalesceSeconds: 5, handedTurnAtMs: 12_000 })).toBe(12_000);
  });
});
