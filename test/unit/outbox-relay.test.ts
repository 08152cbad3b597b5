// When the outbox relay tries an event's start again: the lease stands for a start, back-off while Temporal is away.
import { nextStartDelayMs } from '../../src/domain/outbox-relay';

const LEASE = 60_000;

describe('the next start of an outbox event', () => {
  it('keeps the lease just taken after a start: planning takes the event out of the outbox', () => {
    expect(nextStartDelayMs('started', 1, LEASE)).toBeNull();
    expect(nextStartDelayMs('started', 7, LEASE)).toBeNull();
  });

  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [5, 16_000],
    [6, 30_000],
    [40, 30_000],
  ])('while Temporal is away, tries again after start %i in %i ms (1 s doubling, at most 30 s)', (attempts, delay) => {
    expect(nextStartDelayMs('unavailable', attempts, LEASE)).toBe(delay);
  });

  it('leaves a workflow started before on its lease the first time, then looks again less and less often, up to hourly', () => {
    expect(nextStartDelayMs('duplicate', 1, LEASE)).toBeNull();
    expect(nextStartDelayMs('duplicate', 2, LEASE)).toBe(120_000);
    expect(nextStartDelayMs('duplicate', 3, LEASE)).toBe(240_000);
    expect(nextStartDelayMs('duplicate', 30, LEASE)).toBe(3_600_000);
  });
});
