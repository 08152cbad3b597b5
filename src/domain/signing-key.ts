// A destination's ed25519 key pair in the Standard Webhooks serialisation: `whsk_` (secret) and `whpk_` (public) prefixes on base64.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

const SECRET_PREFIX = 'whsk_';
const PUBLIC_PREFIX = 'whpk_';
const SEED_BYTES = 32;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface SigningKeyPair {
  /** `whsk_` + base64 of seed ‖ public key (64 bytes, libsodium's and Go's secret-key form). Sealed at rest, never shown. */
  privateKey: string;
  /** `whpk_` + base64 of the 32-byte public key: what receivers verify `v1a` signatures with. */
  publicKey: string;
}

// PKCS#8 for ed25519 is a fixed 16-byte prefix and the 32-byte seed (RFC 8410): how a raw seed enters Node's crypto.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function keyObjectOf(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The public key is always derived from the seed, never trusted from input. */
function publicBytesOf(seed: Buffer): Buffer {
  return Buffer.from(createPublicKey(keyObjectOf(seed)).export({ format: 'jwk' }).x!, 'base64url');
}

/** Why a `whsk_` key cannot sign, or null: strict base64 of a 32-byte seed, or of seed ‖ its own public key. */
export function signingKeyProblem(privateKey: string): string | null {
  if (!privateKey.startsWith(SECRET_PREFIX)) return `ed25519 keys start with ${SECRET_PREFIX}`;
  const encoded = privateKey.slice(SECRET_PREFIX.length);
  if (!STRICT_BASE64.test(encoded)) return `${SECRET_PREFIX} keys must be base64 after the prefix`;
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== SEED_BYTES && bytes.length !== 2 * SEED_BYTES) return `${SECRET_PREFIX} keys encode 32 or 64 bytes, got ${bytes.length}`;
  if (bytes.length === 2 * SEED_BYTES && !publicBytesOf(bytes.subarray(0, SEED_BYTES)).equals(bytes.subarray(SEED_BYTES))) {
    return 'the last 32 bytes of the key are not the public key of its first 32';
  }
  return null;
}

function seedOf(privateKey: string): Buffer {
  const problem = signingKeyProblem(privateKey);
  if (problem !== null) throw new RangeError(problem);
  return Buffer.from(privateKey.slice(SECRET_PREFIX.length), 'base64').subarray(0, SEED_BYTES);
}

/** The `whpk_` public key of a valid `whsk_` key. */
export function publicKeyOf(privateKey: string): string {
  return PUBLIC_PREFIX + publicBytesOf(seedOf(privateKey)).toString('base64');
}

/** The key pair in its 64-byte secret form, whichever form it was given in (a receiver's tooling may emit either). */
export function signingKeyPairOf(privateKey: string): SigningKeyPair {
  const seed = seedOf(privateKey);
  const publicBytes = publicBytesOf(seed);
  return { privateKey: SECRET_PREFIX + Buffer.concat([seed, publicBytes]).toString('base64'), publicKey: PUBLIC_PREFIX + publicBytes.toString('base64') };
}

export function generateSigningKey(): SigningKeyPair {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return signingKeyPairOf(SECRET_PREFIX + Buffer.from(jwk.d!, 'base64url').toString('base64'));
}

// Parsing a key costs more than signing with it; a worker signs with the same few keys all day.
const keyObjects = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 1_000;

function cachedKeyObject(privateKey: string): KeyObject {
  let key = keyObjects.get(privateKey);
  if (key === undefined) {
    key = keyObjectOf(seedOf(privateKey));
    if (keyObjects.size >= MAX_CACHED_KEYS) keyObjects.delete(keyObjects.keys().next().value!);
    keyObjects.set(privateKey, key);
  }
  return key;
}

/** The ed25519 signature of `message` (64 bytes). */
export function signWithKey(privateKey: string, message: Buffer): Buffer {
  return sign(null, message, cachedKeyObject(privateKey));
}
