// Prefixed identifiers for workspaces, keys, destinations, events and deliveries: time-ordered or content-derived.
import { createHash } from 'node:crypto';
import { monotonicFactory } from 'ulid';

export { deliveryWorkflowId, eventWorkflowId, healthWorkflowId } from './workflow-ids';

/** Crockford's alphabet: no I, L, O or U, so ids survive being read aloud or retyped. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ID_BODY_LENGTH = 26;
const MAX_TIMESTAMP_MS = 2 ** 48 - 1;

/** Encodes the low `length * 5` bits of a non-negative integer, most significant character first. */
function encodeCrockford(value: bigint, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = CROCKFORD[Number(rest & 31n)]! + out;
    rest >>= 5n;
  }
  return out;
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/*
 * ULID's monotonic mode, from the `ulid` package: ids minted by this process within the same
 * millisecond, or after the clock stepped backwards, reuse the last millisecond and increment the
 * random part, so sorting ids reproduces creation order even under bursts. One factory per process.
 */
const nextUlid = monotonicFactory();

/** `${prefix}_` followed by a 26-character ULID: 48-bit millisecond time, then 80 random bits, Crockford base32. */
export function newId(prefix: string): string {
  const nowMs = Date.now();
  // Checked before the factory sees it: the factory records the time before encoding it, so one bad reading would stick.
  if (!(nowMs >= 0 && nowMs <= MAX_TIMESTAMP_MS)) throw new RangeError(`clock out of range for ids: ${nowMs}`);
  return `${prefix}_${nextUlid(nowMs)}`;
}

/**
 * `${prefix}_` followed by the first 26 base32 characters of sha256 over the parts.
 * Used where retries must land on the same row (e.g. one delivery per event and destination).
 * Parts are joined with NUL so that ("ab", "c") and ("a", "bc") stay distinct.
 */
export function deterministicId(prefix: string, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000'), 'utf8').digest();
  // 17 bytes hold 136 bits; the top 130 bits fill 26 characters, as reading the digest 5 bits at a time would.
  const top130 = bytesToBigInt(digest.subarray(0, 17)) >> 6n;
  return `${prefix}_${encodeCrockford(top130, ID_BODY_LENGTH)}`;
}
