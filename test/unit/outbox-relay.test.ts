// When the outbox relay tries an event's start again: the lease stands for a start, the next poll while Temporal is away.
import { nextStartDelayMs } from '../../src/domain/outbox-relay';

const TIMING = { leaseMs: 60_000, pollMs: 1_000 };

describe('the next start of an outbox event', () => {
  it('keeps the lease just taken after a start: planning takes the event out of the outbox', () => {
    expect(nextStartDelayMs('started', 1, TIMING)).toBeNull();
    expect(nextStartDelayMs('started', 7, TIMING)).toBeNull();
  });

  it('while Temporal is away, is due again at the next poll however often it failed, so nothing waits once Temporal is back', () => {
    expect([1, 2, 10, 400].map((attempts) => nextStartDelayMs('unavailable', attempts, TIMING))).toEqual([1_000, 1_000, 1_000, 1_000]);
  });

  it('leaves a workflow started before on its lease the first time, then looks again less and less often, up to hourly', () => {
    expect(nextStartDelayMs('duplicate', 1, TIMING)).toBeNull();
    expect(nextStartDelayMs('duplicate', 2, TIMING)).toBe(120_000);
    expect(nextStartDelayMs('duplicate', 3, TIMING)).toBe(240_000);
    expect(nextStartDelayMs('duplicate', 30, TIMING)).toBe(3_600_000);
  });
});
