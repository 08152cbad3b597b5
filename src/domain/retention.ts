// How long Hookline keeps what it stores: each workspace's payload and record windows, their bounds and defaults, and the subject's keyed hash that finds its data without holding it.
import { createHmac, hkdfSync } from 'node:crypto';
import { RuleViolationError } from './errors';

const DAY_SECONDS = 86_400;

/*
 * A platform's defaults: a month of event data and bodies is enough to debug and replay a receiver's outage; three
 * months of records (ids, statuses, timings, status codes) answer "was it delivered?" for a quarter's support tickets.
 */
export const DEFAULT_PAYLOAD_RETENTION_SECONDS = 30 * DAY_SECONDS;
export const DEFAULT_RECORD_RETENTION_SECONDS = 90 * DAY_SECONDS;
export const MAX_RETENTION_SECONDS = 10 * 365 * DAY_SECONDS;

export interface Retention {
  payloadSeconds: number;
  recordSeconds: number;
}

function invalid(path: string, message: string): RuleViolationError {
  return new RuleViolationError('invalid_retention', message, [{ path, message }]);
}

/** `minSeconds` comes from configuration (an hour by default; seconds in the specs that watch a window pass). */
export function checkRetention(retention: Retention, minSeconds: number): Retention {
  for (const [path, seconds] of [
    ['body.payload_retention_seconds', retention.payloadSeconds],
    ['body.record_retention_seconds', retention.recordSeconds],
  ] as const) {
    if (seconds < minSeconds) throw invalid(path, `at least ${minSeconds} s`);
    if (seconds > MAX_RETENTION_SECONDS) throw invalid(path, `at most ${MAX_RETENTION_SECONDS} s (ten years)`);
  }
  // A record outliving its payload is the point; a payload outliving its record would have nothing to hang on.
  if (retention.recordSeconds < retention.payloadSeconds) {
    throw invalid('body.record_retention_seconds', 'records are kept at least as long as their payloads');
  }
  return retention;
}

/** The instants before which a workspace's payloads, and then its records, are due to go. */
export function retentionCutoffs(retention: Retention, now: Date): { payloadBefore: Date; recordBefore: Date } {
  return {
    payloadBefore: new Date(now.getTime() - retention.payloadSeconds * 1000),
    recordBefore: new Date(now.getTime() - retention.recordSeconds * 1000),
  };
}

export const PAYLOAD_STATES = ['kept', 'expired', 'erased'] as const;
export type PayloadState = (typeof PAYLOAD_STATES)[number];

/** What became of an event's data: still here, gone with its payload window, or erased at its subject's request. */
export function payloadStateOf(event: { payload_expired_at: Date | null; erased_at: Date | null }): PayloadState {
  return event.erased_at !== null ? 'erased' : event.payload_expired_at !== null ? 'expired' : 'kept';
}

// Derived once per service key: the relay hashes every event's subject.
const hashKeys = new WeakMap<Buffer, Buffer>();

/**
 * The subject as Temporal may hold it: an HMAC under a key derived from the service key, scoped to the workspace, so
 * a search attribute finds a subject's workflows for erasure while nobody reading Temporal can learn the subject
 * (not even by hashing guesses, without the key).
 */
export function subjectHash(encryptionKey: Buffer, workspaceId: string, subject: string): string {
  let key = hashKeys.get(encryptionKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'hookline subject hash v1', 32));
    hashKeys.set(encryptionKey, key);
  }
  return createHmac('sha256', key).update(`${workspaceId}\u0000${subject}`, 'utf8').digest('base64url');
}
