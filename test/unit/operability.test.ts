// The pure rules behind Hookline's metrics labels, log lines and Temporal UI summaries.
import { temporalServerEnv } from '../../src/dev/temporal-server';
import { loggableUrl } from '../../src/observability/attempt-report';
import { outcomeClassOf } from '../../src/observability/outcome-class';
import { attemptActivitySummary, deliverySummary, eventSummary, shortDuration } from '../../src/workflows/summaries';

describe('outcome classes of an attempt', () => {
  it.each([
    [200, '2xx'],
    [204, '2xx'],
    [301, '3xx'],
    [400, '4xx'],
    [410, '4xx'],
    [429, '4xx'],
    [503, '5xx'],
    [600, '5xx'],
  ])('a %i answer is %s', (status, expected) => {
    expect(outcomeClassOf({ kind: 'response', status })).toBe(expected);
  });

  it('tells timeouts, refused addresses and other network failures apart', () => {
    expect(outcomeClassOf({ kind: 'error', error: { name: 'TimeoutError' } })).toBe('timeout');
    expect(outcomeClassOf({ kind: 'error', error: { name: 'HeadersTimeoutError', code: 'UND_ERR_HEADERS_TIMEOUT' } })).toBe('timeout');
    expect(outcomeClassOf({ kind: 'error', error: { name: 'ForbiddenAddressError' } })).toBe('ssrf');
    expect(outcomeClassOf({ kind: 'error', error: { name: 'Error', code: 'ECONNREFUSED' } })).toBe('network');
  });
});

describe('URLs in log lines', () => {
  it('keep origin and path, never a query string or userinfo', () => {
    expect(loggableUrl('https://user:pw@crm.example/hooks/in?token=abc#x')).toBe('https://crm.example/hooks/in');
  });
});

describe('Temporal UI summaries', () => {
  it('name an event by its type and subject, and a test send by its destination', () => {
    expect(eventSummary({ type: 'contact.created', subject: 'c_42' })).toBe('contact.created for c_42');
    expect(eventSummary({ type: 'webhook.test', subject: null, test: { destinationId: 'dst_1' } })).toBe('webhook.test test send to dst_1');
  });

  it('say what the inline attempt got and when the next one is due', () => {
    const lastAttempt = {
      attemptNumber: 3,
      statusCode: 503,
      durationMs: 40,
      responseExcerpt: null,
      error: 'receiver responded 503',
      request: 'POST https://crm.example/hooks',
    };
    expect(deliverySummary({ eventType: 'contact.created', destinationId: 'dst_1', maxAttempts: 8, lastAttempt, retryInMs: 1_800_000 })).toBe(
      'contact.created: POST https://crm.example/hooks → 503, attempt 3 of 8, next in 30 m',
    );
    const unanswered = { ...lastAttempt, attemptNumber: 1, statusCode: null, error: 'timeout: timed out waiting for response headers' };
    expect(deliverySummary({ eventType: 'lead.scored', destinationId: 'dst_1', maxAttempts: 8, lastAttempt: unanswered, retryInMs: 5_000 })).toBe(
      'lead.scored: POST https://crm.example/hooks → timeout, attempt 1 of 8, next in 5 s',
    );
    expect(deliverySummary({ eventType: 'lead.scored', destinationId: 'dst_1', maxAttempts: 8, held: true })).toBe(
      'lead.scored: dst_1, held while the destination is paused',
    );
  });

  it('say where the attempt activity’s delays come from', () => {
    expect(attemptActivitySummary('POST https://crm.example/hooks', 2, 8)).toBe(
      "POST https://crm.example/hooks: attempts 2–8 of 8, each delay from the retry schedule or the receiver's Retry-After",
    );
  });

  it('write durations the way the retry schedule is written', () => {
    expect([200, 5_000, 1_800_000, 7_200_000, 5_400_000, 90_000_000].map(shortDuration)).toEqual(['200 ms', '5 s', '30 m', '2 h', '1 h 30 m', '1 d 1 h']);
  });
});

describe('the Temporal dev server’s environment', () => {
  it('leaves out the OpenTelemetry variables set for Hookline, which the temporal CLI rejects', () => {
    expect(temporalServerEnv({ PATH: '/bin', OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'hookline' })).toEqual({ PATH: '/bin' });
  });
});
