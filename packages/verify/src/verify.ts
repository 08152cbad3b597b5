// Verifies that a request came from Hookline: Standard Webhooks (the default) or the hex HMAC scheme, in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureScheme = 'standard_webhooks' | 'hmac_sha256_hex';

export const DEFAULT_HEX_SIGNATURE_HEADER = 'X-Webhook-Signature';
/** Standard Webhooks' replay window: a signature older (or newer) than this is refused. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';

export type VerificationFailure = 'missing_headers' | 'timestamp_out_of_tolerance' | 'no_matching_signature';

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
  constructor(
    readonly reason: VerificationFailure,
    message: string,
  ) {
    super(message);
  }
}

export type WebhookHeaders = Record<string, string | string[] | undefined> | Headers;

export interface VerifyWebhookInput {
  /** The request's headers, as Node (`req.headers`) or fetch (`Headers`) give them; names are matched case-insensitively. */
  headers: WebhookHeaders;
  /** The raw body, byte for byte as received: verify before parsing JSON. */
  body: string | Uint8Array;
  /** The destination's secret; during your own rotation pass both (old and new). */
  secret: string | string[];
  scheme?: SignatureScheme;
  /** Signature header of the hex scheme: the destination's signature_header (default X-Webhook-Signature). */
  header?: string;
  toleranceSeconds?: number;
  /** For tests: the current time in Unix seconds. */
  nowSeconds?: number;
}

/**
 * The Standard Webhooks HMAC key: the base64 after `whsec_` for Hookline's generated secrets,
 * the UTF-8 text for a secret you supplied without that prefix.
 */
function standardKey(secret: string): Buffer {
  return secret.startsWith(SECRET_PREFIX) ? Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');
}

function hmac(key: Buffer, ...chunks: Array<string | Uint8Array>): Buffer {
  const mac = createHmac('sha256', key);
  for (const chunk of chunks) mac.update(chunk);
  return mac.digest();
}

function headerValue(headers: WebhookHeaders, name: string, separator: string): string | undefined {
  // fetch's Headers already joins repeated headers (with ", "), and matches names case-insensitively.
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(separator) : value;
  }
  return undefined;
}

/** Equal-length buffers compared in constant time; differing lengths leak only the length, which is public. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function secretsOf(input: VerifyWebhookInput): string[] {
  const secrets = Array.isArray(input.secret) ? input.secret : [input.secret];
  // An empty secret would make every attacker's guess as good as Hookline's signature.
  if (secrets.length === 0 || secrets.some((secret) => secret === '')) throw new TypeError('verifyWebhook needs a non-empty secret');
  return secrets;
}

function verifyStandard(input: VerifyWebhookInput): void {
  const id = headerValue(input.headers, 'webhook-id', ',');
  const timestamp = headerValue(input.headers, 'webhook-timestamp', ',')?.trim();
  const signatures = headerValue(input.headers, 'webhook-signature', ' ');
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError('missing_headers', 'webhook-id, webhook-timestamp and webhook-signature are required');
  }
  if (!/^\d+$/.test(timestamp)) {
    throw new WebhookVerificationError('timestamp_out_of_tolerance', `webhook-timestamp is not a Unix timestamp: ${timestamp}`);
  }
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError('timestamp_out_of_tolerance', `webhook-timestamp is more than ${tolerance}s from now`);
  }
  const offered = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3)));
  // Compare base64 text, not decoded bytes: Node's base64 decoder silently skips junk characters.
  const matched = secretsOf(input).some((secret) => {
    const expected = Buffer.from(hmac(standardKey(secret), `${id}.${timestamp}.`, input.body).toString('base64'));
    return offered.some((signature) => sameBytes(signature, expected));
  });
  if (!matched) throw new WebhookVerificationError('no_matching_signature', 'no v1 signature matches the secret');
}

function verifyHex(input: VerifyWebhookInput): void {
  const name = input.header ?? DEFAULT_HEX_SIGNATURE_HEADER;
  const value = headerValue(input.headers, name, ',');
  if (!value) throw new WebhookVerificationError('missing_headers', `${name} is required`);
  const offered = value
    .split(',')
    .map((entry) => /^\s*sha256=([0-9a-fA-F]{64})\s*$/.exec(entry)?.[1])
    .filter((hex): hex is string => hex !== undefined)
    .map((hex) => Buffer.from(hex, 'hex'));
  // The hex scheme keys the HMAC with the secret's text, `whsec_` prefix included, as GitHub-style receivers do.
  const matched = secretsOf(input).some((secret) => {
    const expected = hmac(Buffer.from(secret, 'utf8'), input.body);
    return offered.some((signature) => sameBytes(signature, expected));
  });
  if (!matched) throw new WebhookVerificationError('no_matching_signature', 'no sha256 signature matches the secret');
}

/** Throws WebhookVerificationError, whose `reason` says why the request is not authentic. */
export function verifyWebhookOrThrow(input: VerifyWebhookInput): void {
  if ((input.scheme ?? 'standard_webhooks') === 'standard_webhooks') verifyStandard(input);
  else verifyHex(input);
}

/** True when a signature on the request was made with the secret (and, for Standard Webhooks, recently enough). */
export function verifyWebhook(input: VerifyWebhookInput): boolean {
  try {
    verifyWebhookOrThrow(input);
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}
