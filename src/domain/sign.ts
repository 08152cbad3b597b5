// Signs outgoing webhook requests (Standard Webhooks v1 or v1a, or a hex HMAC header); receivers verify them with @hookline/verify.
import { createHmac, randomBytes } from 'node:crypto';
import { signWithKey } from './signing-key';

export const DEFAULT_HEX_SIGNATURE_HEADER = 'X-Webhook-Signature';
/** Segment's and Customer.io's webhook destinations sign with a bare hex HMAC-SHA1 in this header. */
export const DEFAULT_SHA1_SIGNATURE_HEADER = 'X-Signature';
export type HexAlgorithm = 'sha256' | 'sha1';
/** The replay window the API documents for receivers: the one @hookline/verify enforces by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';
/** The shortest secret taken as text: shorter ones are guessable. */
export const MIN_SECRET_LENGTH = 16;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A fresh signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/**
 * The Standard Webhooks HMAC key for a secret. Generated secrets carry their key base64-encoded after `whsec_`;
 * secrets supplied by users (who must match what their receiver already expects) are used as UTF-8 text.
 */
export function secretKeyBytes(secret: string): Buffer {
  if (secret.startsWith(SECRET_PREFIX)) return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  return Buffer.from(secret, 'utf8');
}

/**
 * Why a secret cannot be used, or null. `whsec_` secrets must be strict base64 of 24–64 bytes (the
 * Standard Webhooks range), since a lenient decode would silently sign with a different key than
 * the receiver derives; any other secret is taken as text and needs 16 characters.
 */
export function validateSecret(secret: string): string | null {
  if (secret.startsWith(SECRET_PREFIX)) {
    const encoded = secret.slice(SECRET_PREFIX.length);
    if (!STRICT_BASE64.test(encoded)) return 'whsec_ secrets must be base64 after the prefix';
    const bytes = Buffer.from(encoded, 'base64').length;
    return bytes >= 24 && bytes <= 64 ? null : `whsec_ secrets must encode 24 to 64 bytes, got ${bytes}`;
  }
  return secret.length >= MIN_SECRET_LENGTH ? null : `secrets must be at least ${MIN_SECRET_LENGTH} characters`;
}

function requireSecrets(secrets: string[]): void {
  // Sending a request with an empty signature header would look signed to a careless receiver.
  if (secrets.length === 0) throw new RangeError('at least one secret is required to sign a webhook');
}

function hmac(key: Buffer, ...chunks: Array<string | Buffer>): Buffer {
  return hmacOf('sha256', key, ...chunks);
}

function hmacOf(algorithm: HexAlgorithm, key: Buffer, ...chunks: Array<string | Buffer>): Buffer {
  const mac = createHmac(algorithm, key);
  for (const chunk of chunks) mac.update(chunk);
  return mac.digest();
}

/*
 * The hex scheme exists for receivers built for the GitHub-style convention, which HMAC with the secret
 * exactly as configured: `createHmac('sha256', secret)`. So its key is the secret's text, `whsec_` and all;
 * decoding it as Standard Webhooks does would make every generated secret unverifiable for them.
 */
function hexKeyBytes(secret: string): Buffer {
  return Buffer.from(secret, 'utf8');
}

/**
 * Standard Webhooks headers. With two secrets (during rotation) both signatures are sent, current first,
 * so receivers that have not yet switched to the new secret keep verifying.
 */
export function signStandardWebhooks(input: { id: string; timestampSeconds: number; body: string; secrets: string[] }): Record<string, string> {
  requireSecrets(input.secrets);
  const timestamp = String(Math.floor(input.timestampSeconds));
  const signatures = input.secrets.map((secret) => `v1,${hmac(secretKeyBytes(secret), `${input.id}.${timestamp}.`, input.body).toString('base64')}`);
  return { 'webhook-id': input.id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}

/**
 * Standard Webhooks' asymmetric scheme: `v1a,<base64 ed25519 signature>` over the same `id.timestamp.body`, one per
 * `whsk_` key (two during a rotation, current first); receivers hold only the public keys.
 */
export function signStandardWebhooksEd25519(input: { id: string; timestampSeconds: number; body: string; privateKeys: string[] }): Record<string, string> {
  requireSecrets(input.privateKeys);
  const timestamp = String(Math.floor(input.timestampSeconds));
  const signed = Buffer.from(`${input.id}.${timestamp}.${input.body}`, 'utf8');
  const signatures = input.privateKeys.map((key) => `v1a,${signWithKey(key, signed).toString('base64')}`);
  return { 'webhook-id': input.id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}

/**
 * A hex HMAC of the body alone, keyed by the secret's text: `sha256=<hex>` for receivers built for the GitHub-style
 * scheme, a bare `<hex>` HMAC-SHA1 for those built for Segment's `X-Signature`; several secrets are comma-separated.
 */
export function signHexHmac(input: { body: string; secrets: string[]; header?: string; algorithm?: HexAlgorithm }): Record<string, string> {
  requireSecrets(input.secrets);
  const algorithm = input.algorithm ?? 'sha256';
  const prefix = algorithm === 'sha256' ? 'sha256=' : '';
  const values = input.secrets.map((secret) => prefix + hmacOf(algorithm, hexKeyBytes(secret), input.body).toString('hex'));
  const header = input.header ?? (algorithm === 'sha256' ? DEFAULT_HEX_SIGNATURE_HEADER : DEFAULT_SHA1_SIGNATURE_HEADER);
  return { [header]: values.join(',') };
}
