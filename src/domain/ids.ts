// Prefixed identifiers for workspaces, keys, destinations, events and deliveries: time-ordered or content-derived.
import { createHash, randomBytes } from 'node:crypto';

export { deliveryWorkflowId, eventWorkflowId, healthWorkflowId } from './workflow-ids';

/** Crockford's alphabet: no I, L, O or U, so ids survive being read aloud or retyped. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ID_BODY_LENGTH = 26;
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;
const MAX_TIMESTAMP_MS = 2 ** 48 - 1;
const RANDOM_LIMIT = 1n << 80n;

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
 * Ids minted by this process within the same millisecond reuse that millisecond and increment the
 * random part, so sorting ids reproduces creation order even under bursts (ULID's monotonic mode).
 * A clock that steps backwards is treated the same way rather than producing an out-of-order id.
 */
let lastTimeMs = -1;
let lastRandom = 0n;

function nextTimeAndRandom(nowMs: number): { timeMs: number; random: bigint } {
  if (nowMs > lastTimeMs) {
    lastTimeMs = nowMs;
    lastRandom = bytesToBigInt(randomBytes(10));
  } else {
    lastRandom += 1n;
    if (lastRandom >= RANDOM_LIMIT) {
      // 2^80 ids in one millisecond cannot happen in practice; borrowing the next millisecond keeps order anyway.
      lastTimeMs += 1;
      lastRandom = bytesToBigInt(randomBytes(10));
    }
  }
  return { timeMs: lastTimeMs, random: lastRandom };
}

/** `${prefix}_` followed by 26 Crockford base32 characters: 48-bit millisecond time, then 80 random bits. */
export function newId(prefix: string): string {
  const nowMs = Date.now();
  if (nowMs < 0 || nowMs > MAX_TIMESTAMP_MS) throw new RangeError(`clock out of range for ids: ${nowMs}`);
  const { timeMs, random } = nextTimeAndRandom(nowMs);
  return `${prefix}_${encodeCrockford(BigInt(timeMs), TIME_CHARS)}${encodeCrockford(random, RANDOM_CHARS)}`;
}

/** The creation time embedded in an id from `newId`, or null if the id does not have that shape. */
export function idTimestampMs(id: string): number | null {
  const body = id.slice(id.lastIndexOf('_') + 1);
  if (body.length !== ID_BODY_LENGTH) return null;
  let value = 0;
  for (const char of body.slice(0, TIME_CHARS)) {
    const digit = CROCKFORD.indexOf(char);
    if (digit < 0) return null;
    value = value * 32 + digit;
  }
  return value <= MAX_TIMESTAMP_MS ? value : null;
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
