// When a repeated Idempotency-Key is a retry of the same request, and when it is a different request reusing the key.
import { createHash } from 'node:crypto';
import { RuleViolationError } from './errors';

export interface IdempotentRequest {
  type: string;
  data: unknown;
  subject: string | null;
  /** As the client sent it (absent: null), not the server's default. */
  occurredAt: string | null;
}

/** JSON with object keys sorted, so the same body always hashes the same whatever order its keys came in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A digest of what the request asks for (the IETF Idempotency-Key draft's "request fingerprint"): the same key
 * with the same fingerprint is a replay; with another one, a different request reusing the key (422).
 */
export function requestFingerprint(request: IdempotentRequest): string {
  return createHash('sha256')
    .update(canonical([request.type, request.data, request.subject, request.occurredAt]))
    .digest('base64url');
}

/** The request that first used an Idempotency-Key must be the one repeated: a different body is refused, not replayed. */
export function assertSameRequest(first: string | null, fingerprint: string): void {
  // An event stored without a fingerprint gives nothing to compare with, so the repeat is answered as a replay.
  if (first !== null && first !== fingerprint) {
    throw new RuleViolationError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request body; use a new key for a new event',
      [{ path: 'headers.idempotency-key', message: 'already used with a different body' }],
    );
  }
}
