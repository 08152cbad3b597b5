import {
  classifyNetworkError,
  classifyResponse,
  defaultMaxAttempts,
  honoursRetryAfter,
  parseRetryAfter,
  retryDelayMs,
  type RetryDelayInput,
} from '../../src/domain/retry-policy';
import { ForbiddenAddressError } from '../../src/domain/url-safety';

describe('response classification', () => {
  it.each([200, 201, 202, 204, 299])('treats %i as success', (status) => {
    expect(classifyResponse(status)).toEqual({ kind: 'success' });
  });

  it.each([408, 425, 429, 500, 502, 503, 504, 599])('retries %i', (status) => {
    expect(classifyResponse(status)).toEqual({ kind: 'retryable', reason: expect.stringContaining(String(status)) });
  });

  it('treats 410 as gone', () => {
    expect(classifyResponse(410)).toEqual({ kind: 'gone', reason: expect.stringContaining('410') });
  });

  it.each([301, 302, 307, 308])('gives up on redirect %i, saying redirects are not followed', (status) => {
    expect(classifyResponse(status)).toEqual({ kind: 'permanent', reason: expect.stringContaining('redirect') });
  });

  it('names where a redirect pointed, or that it named no place', () => {
    expect(classifyResponse(302, 'https://new.example.com/hooks')).toEqual({
      kind: 'permanent',
      reason: expect.stringContaining('redirecting to https://new.example.com/hooks'),
    });
    expect(classifyResponse(302)).toEqual({ kind: 'permanent', reason: expect.stringContaining('without a Location header') });
  });

  it.each([400, 401, 403, 404, 405, 413, 422])('gives up on client error %i', (status) => {
    expect(classifyResponse(status).kind).toBe('permanent');
  });

  it.each([100, 101, 199, 600, 0])('gives up on unexpected status %i', (status) => {
    expect(classifyResponse(status).kind).toBe('permanent');
  });

  it('honours Retry-After only on 429 and 503', () => {
    expect([429, 503, 500, 502, 408].map(honoursRetryAfter)).toEqual([true, true, false, false, false]);
  });
});

describe('network error classification', () => {
  it.each([
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_CONNECT_TIMEOUT',
    'ECONNREFUSED',
    'ECONNRESET',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EPIPE',
    'UND_ERR_SOCKET',
  ])('retries %s', (code) => {
    expect(classifyNetworkError({ code, message: 'boom' })).toEqual({ kind: 'retryable', reason: expect.stringContaining(code) });
  });

  it.each(['AbortError', 'TimeoutError'])('retries a %s', (name) => {
    expect(classifyNetworkError({ name, message: 'The operation was aborted' }).kind).toBe('retryable');
  });

  it('gives up when the SSRF guard refused the address', () => {
    const outcome = classifyNetworkError(new ForbiddenAddressError('10.0.0.1', 'internal.example.com'));
    expect(outcome).toEqual({ kind: 'permanent', reason: expect.stringContaining('10.0.0.1') });
  });

  it('looks through fetch-style wrappers to the cause', () => {
    const refused = new TypeError('fetch failed', { cause: new ForbiddenAddressError('127.0.0.1') });
    expect(classifyNetworkError(refused).kind).toBe('permanent');
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    expect(classifyNetworkError(reset)).toEqual({ kind: 'retryable', reason: expect.stringContaining('ECONNRESET') });
  });

  it('retries unknown errors, keeping their message in the reason', () => {
    expect(classifyNetworkError({ code: 'ERR_SOMETHING_NEW', message: 'odd failure' })).toEqual({
      kind: 'retryable',
      reason: expect.stringContaining('odd failure'),
    });
  });
});

describe('Retry-After parsing', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it('reads delta-seconds as milliseconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date as the time remaining', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 12:00:30 GMT', now)).toBe(30_000);
  });

  it('turns past dates and negative delays into zero', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBe(0);
  });

  it('returns null when absent or unreadable', () => {
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('12 34', now)).toBeNull();
  });
});

describe('retry schedule', () => {
  const schedule = [5_000, 300_000, 1_800_000];
  const base: RetryDelayInput = { attempt: 1, scheduleMs: schedule, jitter: 0, random: () => 0.5, retryAfterMinMs: 1_000, retryAfterMaxMs: 3_600_000 };

  it('waits the scheduled delay after each failed attempt', () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs({ ...base, attempt }))).toEqual(schedule);
  });

  it('repeats the last delay past the end of the schedule', () => {
    expect(retryDelayMs({ ...base, attempt: 7 })).toBe(1_800_000);
  });

  it('spreads delays by at most ±jitter', () => {
    const at = (random: number) => retryDelayMs({ ...base, attempt: 2, jitter: 0.2, random: () => random });
    expect(at(0)).toBe(240_000);
    expect(at(0.5)).toBe(300_000);
    expect(at(0.999999)).toBeCloseTo(360_000, -1);
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs({ ...base, attempt: 2, jitter: 0.2, random: Math.random });
      expect(delay).toBeGreaterThanOrEqual(240_000);
      expect(delay).toBeLessThanOrEqual(360_000);
    }
  });

  it("honours the receiver's Retry-After without jitter", () => {
    expect(retryDelayMs({ ...base, jitter: 0.5, random: () => 0, retryAfterMs: 42_000 })).toBe(42_000);
  });

  it('clamps Retry-After to the configured bounds', () => {
    expect(retryDelayMs({ ...base, retryAfterMs: 0 })).toBe(1_000);
    expect(retryDelayMs({ ...base, retryAfterMs: 7 * 86_400_000 })).toBe(3_600_000);
  });

  it('falls back to the schedule when there is no Retry-After', () => {
    expect(retryDelayMs({ ...base, attempt: 2, retryAfterMs: null })).toBe(300_000);
  });

  it('allows one immediate attempt plus one per scheduled delay', () => {
    expect(defaultMaxAttempts([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000])).toBe(8);
    expect(defaultMaxAttempts([])).toBe(1);
  });
});
