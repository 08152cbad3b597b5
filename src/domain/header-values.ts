// A destination's custom header values are credentials (an Authorization for the customer's CRM): sealed at rest, masked in every answer.
import { MASK } from './credential-mask';
import { RuleViolationError } from './errors';
import { openSecret, sealSecret } from './secret-box';

/** What every answer shows instead of a header value; sent back unchanged in a PATCH, it keeps the stored value. */
export const MASKED_HEADER_VALUE = MASK;

// Marks a sealed value, so rows written before sealing (plain values) still read as they are.
const SEALED_PREFIX = 'sealed:';

export function isSealedHeaderValue(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/** A value that looks sealed cannot come from a person: it would be mistaken for one of ours. */
export function assertPlainHeaderValues(headers: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (isSealedHeaderValue(value)) {
      throw new RuleViolationError('invalid_header', `header ${name} cannot start with "${SEALED_PREFIX}"`, [
        { path: `body.headers.${name}`, message: `cannot start with "${SEALED_PREFIX}"` },
      ]);
    }
  }
}

export function sealHeaderValues(headers: Record<string, string>, key: Buffer): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, isSealedHeaderValue(value) ? value : SEALED_PREFIX + sealSecret(value, key)]),
  );
}

export function openHeaderValues(headers: Record<string, string>, key: Buffer): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, isSealedHeaderValue(value) ? openSecret(value.slice(SEALED_PREFIX.length), key) : value]),
  );
}

/** Names kept, values hidden: what GET, list and attempt records show. */
export function maskHeaderValues(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, MASKED_HEADER_VALUE]));
}

/**
 * The headers a PATCH asks for, against the stored (sealed) ones: a value sent back as the mask keeps the stored
 * value of that header (names compared case-insensitively), anything else replaces it.
 */
export function mergeHeaderValues(requested: Record<string, string>, stored: Record<string, string>): Record<string, string> {
  const storedByName = new Map(Object.entries(stored).map(([name, value]) => [name.toLowerCase(), value]));
  return Object.fromEntries(
    Object.entries(requested).map(([name, value]) => [name, value === MASKED_HEADER_VALUE ? (storedByName.get(name.toLowerCase()) ?? value) : value]),
  );
}
