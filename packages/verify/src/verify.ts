// Verifies that a request came from Hookline: Standard Webhooks v1 (the default) or v1a, or a hex HMAC header; MACs compared in constant time.
import { createHmac, createPublicKey, timingSafeEqual, verify as verifySignature, type KeyObject } from 'node:crypto';

export type SignatureScheme = 'standard_webhooks' | 'standard_webhooks_ed25519' | 'hmac_sha256_hex' | 'hmac_sha1_hex';

export const DEFAULT_HEX_SIGNATURE_HEADER = 'X-Webhook-Signature';
/** The header of hmac_sha1_hex (Segment's and Customer.io's `X-Signature`) unless the destination names another. */
export const DEFAULT_SHA1_SIGNATURE_HEADER = 'X-Signature';
/** Standard Webhooks' replay window: a signature older (or newer) than this is refused. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';
const PUBLIC_KEY_PREFIX = 'whpk_';

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
  /**
   * The destination's secret; during your own rotation pass both (old and new). For standard_webhooks_ed25519 its
   * `whpk_` public key (the destination's `public_key`), never a secret.
   */
  secret: string | string[];
  scheme?: SignatureScheme;
  /** Signature header of a hex scheme: the destination's signature_header (default X-Webhook-Signature, or X-Signature for SHA-1). */
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

/** The signed content and the offered signatures of one version (`v1` or `v1a`), once the timestamp is fresh. */
function standardParts(input: VerifyWebhookInput, version: 'v1' | 'v1a'): { id: string; timestamp: string; offered: string[] } {
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
  const prefix = `${version},`;
  const offered = signatures
    .split(' ')
    .filter((entry) => entry.startsWith(prefix))
    .map((entry) => entry.slice(prefix.length));
  return { id, timestamp, offered };
}

function verifyStandard(input: VerifyWebhookInput): void {
  const { id, timestamp, offered } = standardParts(input, 'v1');
  // Compare base64 text, not decoded bytes: Node's base64 decoder silently skips junk characters.
  const matched = secretsOf(input).some((secret) => {
    const expected = Buffer.from(hmac(standardKey(secret), `${id}.${timestamp}.`, input.body).toString('base64'));
    return offered.some((signature) => sameBytes(Buffer.from(signature), expected));
  });
  if (!matched) throw new WebhookVerificationError('no_matching_signature', 'no v1 signature matches the secret');
}

/** A `whpk_` key (base64 of the 32 raw bytes) as Node's crypto takes it. */
function publicKeyObject(publicKey: string): KeyObject {
  if (!publicKey.startsWith(PUBLIC_KEY_PREFIX)) throw new TypeError("standard_webhooks_ed25519 verifies with the destination's whpk_ public key");
  const raw = Buffer.from(publicKey.slice(PUBLIC_KEY_PREFIX.length), 'base64');
  if (raw.length !== 32) throw new TypeError(`a whpk_ key encodes 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

const CANONICAL_SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;

function verifyEd25519(input: VerifyWebhookInput): void {
  const keys = secretsOf(input).map(publicKeyObject);
  const { id, timestamp, offered } = standardParts(input, 'v1a');
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), typeof input.body === 'string' ? Buffer.from(input.body) : input.body]);
  // Canonical base64 only: a lenient decode would accept many spellings of one signature.
  const signatures = offered.filter((text) => CANONICAL_SIGNATURE.test(text)).map((text) => Buffer.from(text, 'base64'));
  const matched = keys.some((key) => signatures.some((signature) => verifySignature(null, signed, key, signature)));
  if (!matched) throw new WebhookVerificationError('no_matching_signature', 'no v1a signature verifies with the public key');
}

function verifyHex(input: VerifyWebhookInput, algorithm: 'sha256' | 'sha1'): void {
  const name = input.header ?? (algorithm === 'sha256' ? DEFAULT_HEX_SIGNATURE_HEADER : DEFAULT_SHA1_SIGNATURE_HEADER);
  const value = headerValue(input.headers, name, ',');
  if (!value) throw new WebhookVerificationError('missing_headers', `${name} is required`);
  // sha256: `sha256=<64 hex>`, as GitHub-style receivers expect; sha1: the bare 40 hex digits of Segment's X-Signature.
  const form = algorithm === 'sha256' ? /^\s*sha256=([0-9a-fA-F]{64})\s*$/ : /^\s*([0-9a-fA-F]{40})\s*$/;
  const offered = value
    .split(',')
    .map((entry) => form.exec(entry)?.[1])
    .filter((hex): hex is string => hex !== undefined)
    .map((hex) => Buffer.from(hex, 'hex'));
  // The hex schemes key the HMAC with the secret's text, `whsec_` prefix included, as their receivers do.
  const matched = secretsOf(input).some((secret) => {
    const expected = createHmac(algorithm, Buffer.from(secret, 'utf8')).update(input.body).digest();
    return offered.some((signature) => sameBytes(signature, expected));
  });
  if (!matched) throw new WebhookVerificationError('no_matching_signature', `no ${algorithm} signature matches the secret`);
}

/** Throws WebhookVerificationError, whose `reason` says why the request is not authentic. */
export function verifyWebhookOrThrow(input: VerifyWebhookInput): void {
  const scheme = input.scheme ?? 'standard_webhooks';
  if (scheme === 'standard_webhooks') verifyStandard(input);
  else if (scheme === 'standard_webhooks_ed25519') verifyEd25519(input);
  else verifyHex(input, scheme === 'hmac_sha1_hex' ? 'sha1' : 'sha256');
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
