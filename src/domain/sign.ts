// Signs outgoing webhook requests (Standard Webhooks or hex HMAC); receivers verify them with @hookline/verify.
import { createHmac, randomBytes } from 'node:crypto';

export const DEFAULT_HEX_SIGNATURE_HEADER = 'X-Webhook-Signature';
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
  const mac = createHmac('sha256', key);
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
 * `sha256=<hex>` of the body alone, keyed by the secret's text, for receivers built for the GitHub-style
 * scheme; rotation lists both, comma-separated.
 */
export function signHexHmac(input: { body: string; secrets: string[]; header?: string }): Record<string, string> {
  requireSecrets(input.secrets);
  const values = input.secrets.map((secret) => `sha256=${hmac(hexKeyBytes(secret), input.body).toString('hex')}`);
  return { [input.header ?? DEFAULT_HEX_SIGNATURE_HEADER]: values.join(',') };
}
