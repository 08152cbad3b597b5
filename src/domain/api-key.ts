// Workspace API keys: how they are made and the hash that is all we store of them.
import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'hk_';

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, 10), hash: hashApiKey(key) };
}

/** Keys carry 256 random bits, so a fast hash is enough; only the hash is stored. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
