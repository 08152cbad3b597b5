// Decides whether a failed delivery attempt is retried, and how long to wait before the next one.

/*
 * Schedule: the first attempt is immediate; after attempt n fails the delay is scheduleMs[n-1]
 * (the last entry repeats if the attempt cap is raised past the schedule), spread by ±jitter so
 * that a burst of deliveries failing together does not retry together.
 *
 * Retry-After: when the receiver says when to come back (429 or 503 with Retry-After), its answer
 * wins over the schedule — jitter is not applied, because the receiver picked the time on purpose —
 * but it is clamped to [retryAfterMinMs, retryAfterMaxMs] so a receiver can neither make us spin
 * nor park a delivery for a week.
 */

export type AttemptOutcome =
  { kind: 'success' } | { kind: 'retryable'; reason: string } | { kind: 'permanent'; reason: string } | { kind: 'gone'; reason: string };

/**
 * 410 Gone is its own outcome: the receiver says the endpoint no longer exists, which is a signal to
 * disable the destination, not just to give up on this delivery. A redirect is not followed (it could
 * lead anywhere, past the address checks), so its reason names where it pointed: that is the URL fix.
 */
export function classifyResponse(status: number, location?: string | null): AttemptOutcome {
  if (status >= 200 && status <= 299) return { kind: 'success' };
  if (status === 410) return { kind: 'gone', reason: 'receiver responded 410 Gone: the endpoint no longer exists' };
  if (status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599)) {
    return { kind: 'retryable', reason: `receiver responded ${status}` };
  }
  if (status >= 300 && status <= 399) {
    const target = location ? `redirecting to ${location}` : 'redirecting without a Location header';
    return { kind: 'permanent', reason: `receiver responded ${status} ${target}: redirects are not followed; update the destination URL` };
  }
  if (status >= 400 && status <= 499) return { kind: 'permanent', reason: `receiver responded ${status}: request rejected` };
  return { kind: 'permanent', reason: `receiver responded with unexpected status ${status}` };
}

/** Statuses whose Retry-After header is honoured in place of the schedule. */
export function honoursRetryAfter(status: number): boolean {
  return status === 429 || status === 503;
}

const NETWORK_REASONS: Record<string, string> = {
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for response headers',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the response body',
  UND_ERR_CONNECT_TIMEOUT: 'timed out connecting',
  ETIMEDOUT: 'timed out connecting',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the receiver',
  ENOTFOUND: 'hostname did not resolve',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'socket closed by the receiver',
  UND_ERR_CLOSED: 'socket closed by the receiver',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  // TLS: what a person fixes is the certificate (the receiver's, or the CA given for it), not the network.
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the receiver's certificate is not signed by a trusted CA",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the receiver's certificate is not signed by a trusted CA",
  SELF_SIGNED_CERT_IN_CHAIN: "the receiver's certificate chain ends in an untrusted self-signed CA",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the receiver's certificate is self-signed and not trusted",
  CERT_HAS_EXPIRED: "the receiver's certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "the receiver's certificate does not name its host",
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the receiver requires a client certificate',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the receiver refused the client certificate',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: "the receiver does not trust the client certificate's CA",
  EGRESS_PROXY_REFUSED: 'the egress proxy refused the tunnel',
};

export interface NetworkErrorLike {
  code?: string;
  name?: string;
  message: string;
  /** fetch() wraps the real failure: TypeError('fetch failed') with the socket error as its cause. */
  cause?: unknown;
}

function isErrorLike(value: unknown): value is NetworkErrorLike {
  return value !== null && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string';
}

/**
 * Network failures are retried: receivers go down, deploy and time out, and the point of Hookline is
 * to outlast that. The exception is our own SSRF guard — the address will not become allowed by waiting.
 * Unknown errors are retried too, since giving up on a transient fault loses the event for good.
 */
export function classifyNetworkError(error: NetworkErrorLike): AttemptOutcome {
  const chain: NetworkErrorLike[] = [];
  for (let current: unknown = error; isErrorLike(current) && chain.length < 5; current = current.cause) chain.push(current);

  const forbidden = chain.find((e) => e.name === 'ForbiddenAddressError');
  if (forbidden) return { kind: 'permanent', reason: forbidden.message };

  for (const e of chain) {
    const known = e.code === undefined ? undefined : NETWORK_REASONS[e.code];
    if (known !== undefined) return { kind: 'retryable', reason: `${known} (${e.code})` };
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return { kind: 'retryable', reason: `request timed out (${e.name})` };
  }
  const deepest = chain[chain.length - 1] ?? error;
  const label = deepest.code ?? deepest.name ?? 'Error';
  return { kind: 'retryable', reason: `network error: ${label}: ${deepest.message}` };
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Math.max(0, Math.round(Number(value) * 1000));
  // Date.parse accepts bare numbers and other loose forms; an HTTP-date always names a month or weekday.
  if (!/[a-z]/i.test(value)) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

export interface RetryDelayInput {
  /** The attempt that just failed, 1-based. */
  attempt: number;
  /** Delays before attempt 2, 3, … */
  scheduleMs: number[];
  /** 0.2 spreads each delay uniformly over ±20%. */
  jitter: number;
  /** Uniform in [0, 1); injected so workflows can pass their deterministic random. */
  random: () => number;
  retryAfterMs?: number | null;
  retryAfterMinMs: number;
  retryAfterMaxMs: number;
}

/** A receiver's Retry-After within the policy's bounds: it may neither hammer us back at once nor park a delivery for days. */
export function clampRetryAfter(retryAfterMs: number, bounds: { retryAfterMinMs: number; retryAfterMaxMs: number }): number {
  return Math.round(Math.min(bounds.retryAfterMaxMs, Math.max(bounds.retryAfterMinMs, retryAfterMs)));
}

export function retryDelayMs(input: RetryDelayInput): number {
  if (input.retryAfterMs !== undefined && input.retryAfterMs !== null) return clampRetryAfter(input.retryAfterMs, input);
  if (input.scheduleMs.length === 0) return 0;
  const index = Math.min(Math.max(input.attempt, 1), input.scheduleMs.length) - 1;
  const base = input.scheduleMs[index]!;
  const spread = 1 + input.jitter * (2 * input.random() - 1);
  return Math.max(0, Math.round(base * spread));
}

/** One immediate attempt plus one per scheduled delay. */
export function defaultMaxAttempts(scheduleMs: number[]): number {
  return scheduleMs.length + 1;
}
