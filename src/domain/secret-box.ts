// Seals destination signing secrets at rest with AES-256-GCM under the service's encryption key.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type SecretBoxFailure = 'invalid_key' | 'malformed' | 'authentication_failed';

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
  constructor(
    readonly code: SecretBoxFailure,
    message: string,
  ) {
    super(message);
  }
}

function requireKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxError('invalid_key', `encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
  }
}

/**
 * `v1:<iv>:<tag>:<ciphertext>`, each base64. The version prefix leaves room to change algorithm or
 * key later while old rows stay readable; a fresh IV per seal is what GCM's security depends on.
 */
export function sealSecret(plain: string, key: Buffer): string {
  requireKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(':');
}

/** The plain secret; SecretBoxError if the value is not ours, was altered, or was sealed under another key. */
export function openSecret(sealed: string, key: Buffer): string {
  requireKey(key);
  const parts = sealed.split(':');
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new SecretBoxError('malformed', `sealed secret must look like ${VERSION}:<iv>:<tag>:<ciphertext>`);
  }
  const iv = Buffer.from(parts[1]!, 'base64');
  const tag = Buffer.from(parts[2]!, 'base64');
  const ciphertext = Buffer.from(parts[3]!, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretBoxError('malformed', 'sealed secret has a wrong-sized IV or tag');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('authentication_failed', 'sealed secret failed authentication (wrong key or tampered)');
  }
}
