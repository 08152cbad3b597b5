// What becomes of a delivery after an attempt: the row's status, the next delay, the health streak, the event workflow's verdict.
import { FailureType, type AttemptSummary } from '../../src/contracts/delivery';
import { attemptFailure, decideAfterAttempt, verdictOf } from '../../src/domain/attempt-outcome';
import { LIVE, TEST, deliveryMode } from '../../src/domain/delivery-mode';
import type { AttemptOutcome } from '../../src/domain/retry-policy';

const timing = { scheduleMs: [5_000, 300_000], jitter: 0, retryAfterMinMs: 1_000, retryAfterMaxMs: 3_600_000, random: () => 0.5 };
const success: AttemptOutcome = { kind: 'success' };
const retryable: AttemptOutcome = { kind: 'retryable', reason: 'HTTP 503' };
const permanent: AttemptOutcome = { kind: 'permanent', reason: 'HTTP 400' };
const gone: AttemptOutcome = { kind: 'gone', reason: 'HTTP 410' };

describe('after an attempt', () => {
  it.each([
    ['a success', success, 1, 3, null, LIVE, { status: 'succeeded', nextDelayMs: null, countsForHealth: true }],
    ['a retryable failure, first of three', retryable, 1, 3, null, LIVE, { status: 'delivering', nextDelayMs: 5_000, countsForHealth: false }],
    ['a retryable failure, second of three', retryable, 2, 3, null, LIVE, { status: 'delivering', nextDelayMs: 300_000, countsForHealth: false }],
    ['a retryable failure past the schedule', retryable, 3, 4, null, LIVE, { status: 'delivering', nextDelayMs: 300_000, countsForHealth: false }],
    ['a retryable failure on the last try', retryable, 3, 3, null, LIVE, { status: 'failed', nextDelayMs: null, countsForHealth: true }],
    [
      "a retryable failure with the receiver's Retry-After",
      retryable,
      1,
      3,
      42_000,
      LIVE,
      { status: 'delivering', nextDelayMs: 42_000, countsForHealth: false },
    ],
    ['a Retry-After past the policy, clamped', retryable, 1, 3, 86_400_000, LIVE, { status: 'delivering', nextDelayMs: 3_600_000, countsForHealth: false }],
    ['a permanent failure', permanent, 1, 3, null, LIVE, { status: 'failed', nextDelayMs: null, countsForHealth: true }],
    ['a 410 Gone', gone, 1, 3, null, LIVE, { status: 'failed', nextDelayMs: null, countsForHealth: true }],
    ["a test send's success", success, 1, 1, null, TEST, { status: 'succeeded', nextDelayMs: null, countsForHealth: false }],
    ["a test send's retryable failure: its one try", retryable, 1, 1, null, TEST, { status: 'failed', nextDelayMs: null, countsForHealth: false }],
  ] as const)('%s', (_label, outcome, attempt, maxAttempts, retryAfterMs, mode, expected) => {
    expect(decideAfterAttempt(outcome, { attempt, maxAttempts }, retryAfterMs, timing, mode)).toEqual(expected);
  });
});

describe('the verdict on a first attempt', () => {
  const attempt: AttemptSummary = { attemptNumber: 1, statusCode: 503, durationMs: 4, responseExcerpt: null, error: 'HTTP 503', retryInMs: 5_000 };
  const failure = (type: string | undefined, summary: AttemptSummary | null = attempt) => attemptFailure(type, 'why', summary ? [summary] : null);

  it.each([
    [
      'retryable, with a next delay',
      failure(FailureType.Retryable),
      LIVE,
      { kind: 'escalate', held: false, attemptsMade: 1, retryInMs: 5_000, lastAttempt: attempt },
    ],
    [
      'retryable on its last try',
      failure(FailureType.Retryable, { ...attempt, retryInMs: null }),
      LIVE,
      { kind: 'done', status: 'failed', lastAttempt: { ...attempt, retryInMs: null } },
    ],
    ['retryable in a test send', failure(FailureType.Retryable), TEST, { kind: 'done', status: 'failed', lastAttempt: attempt }],
    ['paused', failure(FailureType.Paused, null), LIVE, { kind: 'escalate', held: true, attemptsMade: 0, retryInMs: null, lastAttempt: null }],
    ['paused, in a test send', failure(FailureType.Paused, null), TEST, { kind: 'done', status: 'failed', lastAttempt: null }],
    ['permanent', failure(FailureType.Permanent), LIVE, { kind: 'done', status: 'failed', lastAttempt: attempt }],
    ['gone', failure(FailureType.Gone), LIVE, { kind: 'done', status: 'failed', lastAttempt: attempt }],
    ['a template error', failure(FailureType.TemplateError, null), LIVE, { kind: 'done', status: 'failed', lastAttempt: null }],
    ['cancelled', failure(FailureType.Cancelled, null), LIVE, { kind: 'done', status: 'cancelled', lastAttempt: null }],
    [
      'the workspace busy: nothing sent',
      failure(FailureType.WorkspaceBusy, null),
      LIVE,
      { kind: 'escalate', held: false, attemptsMade: 0, retryInMs: null, lastAttempt: null },
    ],
    [
      'unsent (the database was away)',
      attemptFailure(FailureType.Unsent, 'why', [{ attemptsMade: 0 }]),
      TEST,
      { kind: 'escalate', held: false, attemptsMade: 0, retryInMs: null, lastAttempt: null },
    ],
    ['an unknown failure', failure(undefined), LIVE, { kind: 'escalate', held: false, attemptsMade: 0, retryInMs: null, lastAttempt: attempt }],
    ['an unknown failure in a test send', failure(undefined), TEST, { kind: 'done', status: 'failed', lastAttempt: attempt }],
  ] as const)('%s', (_label, attemptFailed, mode, expected) => {
    expect(verdictOf(attemptFailed, mode)).toEqual(expected);
  });
});

describe('the delivery mode', () => {
  it('caps a test send at one attempt, exempts it from pauses, never retries it later and keeps it out of the health streak', () => {
    expect(deliveryMode(true)).toBe(TEST);
    expect([TEST.attemptCap(8), TEST.heldWhenPaused, TEST.retriesLater, TEST.countsForHealth]).toEqual([1, false, false, false]);
  });

  it("runs a live delivery on its destination's cap, held while paused", () => {
    expect(deliveryMode(false)).toBe(LIVE);
    expect([LIVE.attemptCap(8), LIVE.heldWhenPaused, LIVE.retriesLater, LIVE.countsForHealth]).toEqual([8, true, true, true]);
  });
});
