// Signs test requests the way Standard Webhooks (v1, v1a) and the hex HMAC schemes say, independently of the code under test.
import { createHmac, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';

export const SECRET = 'whsec_' + Buffer.from('hookline-verify-package-test-key-32b').toString('base64');
export const BODY = JSON.stringify({ id: 'evt_1', type: 'contact.created', timestamp: '2025-01-15T09:30:00.000Z', workspace_id: 'ws_1', data: { id: 'c_42' } });

export function standardHeaders(body: string, options: { secret?: string; id?: string; timestamp?: number } = {}): Record<string, string> {
  const secret = options.secret ?? SECRET;
  const id = options.id ?? 'dlv_1';
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

export function hexSignature(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** An ed25519 key pair from a fixed seed, serialised as Standard Webhooks says: `whpk_` + base64 of the 32 raw public-key bytes. */
export function ed25519Pair(seedText = 'hookline-verify-ed25519-seed-32b'): { privateKey: KeyObject; publicKey: string } {
  const seed = Buffer.from(seedText).subarray(0, 32);
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const raw = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x!, 'base64url');
  return { privateKey, publicKey: 'whpk_' + raw.toString('base64') };
}

export function ed25519Headers(body: string, privateKeys: KeyObject[], options: { id?: string; timestamp?: number } = {}): Record<string, string> {
  const id = options.id ?? 'dlv_1';
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signatures = privateKeys.map((key) => `v1a,${sign(null, Buffer.from(`${id}.${timestamp}.${body}`), key).toString('base64')}`);
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}

export function sha1Signature(body: string, secret = SECRET): string {
  return createHmac('sha1', secret).update(body).digest('hex');
}
