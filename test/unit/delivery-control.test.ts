// The rules of delivery control: a rate limit that never lets more through than it allows, turns handed out in order, a cap on open requests, and the receiver's push-back.
import {
  afterPushback,
  allowedRate,
  decidePermit,
  INITIAL_PACING,
  needsPermit,
  observedRate,
  pushbackEndsAt,
  pushbackOf,
  type DeliveryControl,
  type PacingState,
  WAKE_LEAD_MS,
} from '../../src/domain/delivery-control';
import { mostInAnyWindow } from '../support/arrivals';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const fresh = (): PacingState => ({ ...INITIAL_PACING, tatMs: T0, queueEndMs: T0 });
const tenPerSecond: DeliveryControl = { rateLimit: { requests: 10, perSeconds: 1, burst: 0 }, maxConcurrent: null };

/**
 * Delivers `count` requests arriving at once, each sleeping until the turn it is given and waking `lateMs(i)` after it
 * (timers and task dispatch are never exact): the times the requests were sent, and how often each request waited.
 */
function drain(control: DeliveryControl, count: number, lateMs: (i: number) => number = () => 0): { sent: number[]; waits: number[] } {
  let state = fresh();
  const sent: number[] = [];
  const waits = Array.from({ length: count }, () => 0);
  const waiting: { id: number; atMs: number; turnAtMs?: number }[] = Array.from({ length: count }, (_, id) => ({ id, atMs: T0 }));
  let wakes = 0;
  while (waiting.length > 0) {
    waiting.sort((a, b) => a.atMs - b.atMs);
    const next = waiting.shift()!;
    const permit = decidePermit(control, state, {
      nowMs: next.atMs,
      openRequests: 0,
      wokenForTurn: next.turnAtMs !== undefined,
    });
    state = permit.state;
    if (permit.granted) sent.push(next.atMs + Math.ceil(permit.tokenAtMs - permit.decidedAtMs));
    else {
      waits[next.id]! += 1;
      // As the delivery workflow does: a timer of the permit's wait, firing late by however much the server lags.
      waiting.push({ id: next.id, atMs: next.atMs + permit.waitMs + lateMs(wakes++), turnAtMs: permit.turnAtMs });
    }
  }
  return { sent, waits };
}

describe('a rate limit', () => {
  it('lets a burst of 200 through at 10 per second, never more in any one-second window, each at its first turn', () => {
    const { sent, waits } = drain(tenPerSecond, 200);
    expect(sent).toHaveLength(200);
    expect(Math.max(...waits)).toBe(1);
    expect(mostInAnyWindow(sent, 1000)).toBe(10);
    // 200 at 10/s: the last goes 19.9 s after the first.
    expect(Math.max(...sent) - T0).toBe(19_900);
  });

  it('allows the configured burst on top of the rate after a quiet spell, and no more', () => {
    const { sent } = drain({ rateLimit: { requests: 10, perSeconds: 1, burst: 5 }, maxConcurrent: null }, 100);
    expect(mostInAnyWindow(sent, 1000)).toBeLessThanOrEqual(10 + 5);
    expect(sent.filter((t) => t === T0)).toHaveLength(6);
  });

  it('absorbs wake-ups that come late by less than an interval: the queue drains at the limit, never over it, one wait each', () => {
    // Wake-ups 0–80 ms late (the interval is 100 ms), varying from one to the next: an early one waits in the attempt.
    const { sent, waits } = drain(tenPerSecond, 100, (i) => (i * 37) % 81);
    expect(Math.max(...waits)).toBe(1);
    expect(mostInAnyWindow(sent, 1000)).toBe(10);
    expect(Math.max(...sent) - T0).toBeLessThan(10_100);
  });

  it('drains at the limit although wake-ups come up to 300 ms late: turns wake early and wait for their token in the attempt', () => {
    // A seeded spread of timer lateness, as a busy Temporal server gives: the same figures on every run.
    let seed = 7;
    const lateness = () => Math.floor(((seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647) * 300);
    const { sent } = drain(tenPerSecond, 300, lateness);
    expect(sent).toHaveLength(300);
    expect(mostInAnyWindow(sent, 1000)).toBe(10);
    // 300 at 10/s: the last 29.9 s after the first. Woken on time instead, each late wake-up's lost token adds up (30.4 s).
    expect(Math.max(...sent) - Math.min(...sent)).toBeLessThan(29_900 + 150);
  });

  it('holds the limit when wake-ups bunch (an overloaded worker): they wait again, keeping their place', () => {
    // Every wake-up 2 s late: the turns' order stays, the rate stays within the limit.
    const { sent, waits } = drain(tenPerSecond, 60, (i) => (i < 60 ? 2_000 : 0));
    expect(sent).toHaveLength(60);
    expect(mostInAnyWindow(sent, 1000)).toBe(10);
    expect(Math.max(...waits)).toBeLessThanOrEqual(3);
  });

  it('sends a request whose token is a moment away after that moment, and queues one whose token is further', () => {
    let state = fresh();
    const results = [0, 1, 2, 3].map(() => {
      const permit = decidePermit(tenPerSecond, state, { nowMs: T0, openRequests: 0, wokenForTurn: false });
      state = permit.state;
      return permit;
    });
    expect(results.map((permit) => (permit.granted ? permit.tokenAtMs - permit.decidedAtMs : null))).toEqual([0, 100, 200, null]);
    // Its turn is the token 300 ms away; it sleeps until shortly before (the wake-up lead) and waits the rest in the attempt.
    expect(results[3]).toMatchObject({ granted: false, reason: 'rate_limit', turnAtMs: T0 + 300, waitMs: 300 - WAKE_LEAD_MS });
  });

  it('keeps a fresh request behind deliveries already waiting for their turn', () => {
    let state = fresh();
    for (let i = 0; i < 3; i++) state = decidePermit(tenPerSecond, state, { nowMs: T0, openRequests: 0, wokenForTurn: false }).state;
    const waiting = decidePermit(tenPerSecond, state, { nowMs: T0, openRequests: 0, wokenForTurn: false });
    expect(waiting).toMatchObject({ granted: false, reason: 'rate_limit', turnAtMs: T0 + 300 });
    // At 350 ms the next token is a moment away, but the delivery woken for the 300 ms turn has it: a fresh one waits behind.
    const late = decidePermit(tenPerSecond, waiting.state, { nowMs: T0 + 350, openRequests: 0, wokenForTurn: false });
    expect(late).toMatchObject({ granted: false, turnAtMs: T0 + 400 });
  });
});

describe('a concurrency cap', () => {
  it('refuses a request while the cap is taken, and spaces turns by the mean request time over the cap', () => {
    const control: DeliveryControl = { rateLimit: null, maxConcurrent: 2 };
    const state = { ...fresh(), meanSendMs: 300 };
    expect(decidePermit(control, state, { nowMs: T0, openRequests: 1, wokenForTurn: false }).granted).toBe(true);
    const full = decidePermit(control, state, { nowMs: T0, openRequests: 2, wokenForTurn: false });
    expect(full).toMatchObject({ granted: false, reason: 'concurrency', waitMs: 1 });
    const behind = decidePermit(control, full.state, { nowMs: T0, openRequests: 2, wokenForTurn: false });
    expect(behind).toMatchObject({ granted: false, reason: 'concurrency', waitMs: 150 });
  });
});

describe("the receiver's push-back", () => {
  it('reads what a destination without a limit was sent over the time the recent deliveries span, not the whole window', () => {
    // Six deliveries in the first 300 ms of a burst: a burst at 6 a second (at least a second's span), not 1.2 over 5 s.
    expect(observedRate({ count: 6, oldestMs: T0 - 300 }, T0)).toBe(6);
    expect(observedRate({ count: 50, oldestMs: T0 - 5_000 }, T0)).toBe(10);
    expect(observedRate({ count: 0, oldestMs: null }, T0)).toBe(0);
  });

  it('spaces the turns of a halved destination by the rate at each turn, so its queue drains faster as the rate recovers', () => {
    const control: DeliveryControl = { rateLimit: { requests: 10, perSeconds: 1, burst: 0 }, maxConcurrent: null };
    let state = afterPushback(control, fresh(), { statusCode: 429, retryAfterMs: null }, T0, null);
    const turns: number[] = [];
    for (let i = 0; i < 60; i++) {
      const permit = decidePermit(control, state, { nowMs: T0, openRequests: 0, wokenForTurn: false });
      state = permit.state;
      if (!permit.granted) turns.push(permit.turnAtMs);
    }
    const gaps = turns.slice(1).map((turn, i) => turn - turns[i]!);
    // Half the rate at first: turns nearly 200 ms apart (a little less, the share recovering meanwhile).
    expect(gaps[0]).toBeGreaterThan(170);
    // Ten seconds on, the rate is whole again: turns come every 100 ms.
    expect(gaps[gaps.length - 1]).toBeCloseTo(100, 0);
  });
  it('is a 429, or a 503 that names when to come back', () => {
    expect(pushbackOf(429, null)).toEqual({ statusCode: 429, retryAfterMs: null });
    expect(pushbackOf(503, 30_000)).toEqual({ statusCode: 503, retryAfterMs: 30_000 });
    expect(pushbackOf(503, null)).toBeNull();
    expect(pushbackOf(500, 30_000)).toBeNull();
  });

  it('stops every request until the Retry-After, then lets the waiting ones go in turn', () => {
    const control: DeliveryControl = { rateLimit: null, maxConcurrent: null };
    const state = afterPushback(control, fresh(), { statusCode: 429, retryAfterMs: 30_000 }, T0, null);
    expect(pushbackEndsAt(state)).toBe(T0 + 30_000);
    const first = decidePermit(control, state, { nowMs: T0 + 1_000, openRequests: 0, wokenForTurn: false });
    expect(first).toMatchObject({ granted: false, reason: 'throttled', waitMs: 29_000 });
    const second = decidePermit(control, first.state, { nowMs: T0 + 1_000, openRequests: 0, wokenForTurn: true });
    expect(second).toMatchObject({ granted: false, reason: 'throttled', waitMs: 29_010 });
    expect(decidePermit(control, second.state, { nowMs: T0 + 30_000, openRequests: 0, wokenForTurn: true }).granted).toBe(true);
  });

  it('halves the rate on a 429 without Retry-After, once per round of refusals, and recovers it additively', () => {
    const halved = afterPushback(tenPerSecond, fresh(), { statusCode: 429, retryAfterMs: null }, T0, null);
    expect(allowedRate(tenPerSecond, halved, T0)).toBe(5);
    // A second refusal of the same round (in flight when the first came back) does not halve again.
    expect(afterPushback(tenPerSecond, halved, { statusCode: 429, retryAfterMs: null }, T0 + 200, null)).toBe(halved);
    expect(allowedRate(tenPerSecond, halved, T0 + 2_000)).toBeCloseTo(7);
    expect(allowedRate(tenPerSecond, halved, T0 + 5_000)).toBe(10);
    const again = afterPushback(tenPerSecond, halved, { statusCode: 429, retryAfterMs: null }, T0 + 2_000, null);
    expect(allowedRate(tenPerSecond, again, T0 + 2_000)).toBeCloseTo(3.5);
  });

  it('paces a destination without a limit at half what it was sent, until it has recovered', () => {
    const control: DeliveryControl = { rateLimit: null, maxConcurrent: null };
    const state = afterPushback(control, fresh(), { statusCode: 429, retryAfterMs: null }, T0, 40);
    expect(allowedRate(control, state, T0)).toBe(20);
    const ends = pushbackEndsAt(state)!;
    expect(ends).toBe(T0 + 5_000);
    expect(allowedRate(control, state, ends)).toBeNull();
    expect(needsPermit(control, new Date(ends), new Date(ends - 1))).toBe(true);
    expect(needsPermit(control, new Date(ends), new Date(ends))).toBe(false);
  });
});
