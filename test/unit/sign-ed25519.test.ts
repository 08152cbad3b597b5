// Standard Webhooks v1a as Hookline sends it: whsk_/whpk_ keys, signatures that Node's own ed25519 verifier accepts, and the SHA-1 hex scheme.
import { createHmac, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { verifyWebhook } from '@hookline/verify';
import { signHexHmac, signStandardWebhooksEd25519 } from '../../src/domain/sign';
import { generateSigningKey, publicKeyOf, signingKeyPairOf, signingKeyProblem } from '../../src/domain/signing-key';

const body = JSON.stringify({ id: 'evt_1', type: 'contact.created', data: { name: 'Zoë' } });
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Node's verifier, given only the whpk_ text: what any receiver with the public key does. */
function nodeVerifies(publicKey: string, message: string, signatureBase64: string): boolean {
  const x = Buffer.from(publicKey.slice('whpk_'.length), 'base64').toString('base64url');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  return verify(null, Buffer.from(message), key, Buffer.from(signatureBase64, 'base64'));
}

describe('ed25519 signing keys', () => {
  it('are generated as whsk_ (64 bytes: seed and public key) and whpk_ (32 bytes), each pair its own', () => {
    const pair = generateSigningKey();
    expect(pair.privateKey).toMatch(/^whsk_[A-Za-z0-9+/]{86}==$/);
    expect(pair.publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(publicKeyOf(pair.privateKey)).toBe(pair.publicKey);
    expect(generateSigningKey().publicKey).not.toBe(pair.publicKey);
  });

  it('accept a key brought as its 32-byte seed and store it in the 64-byte form with the same public key', () => {
    const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    const seedForm = 'whsk_' + Buffer.from(jwk.d!, 'base64url').toString('base64');
    const pair = signingKeyPairOf(seedForm);
    expect(pair.publicKey).toBe('whpk_' + Buffer.from(jwk.x!, 'base64url').toString('base64'));
    expect(signingKeyPairOf(pair.privateKey)).toEqual(pair);
  });

  it('refuse another prefix, loose base64, a wrong length, and a 64-byte key whose halves do not belong together', () => {
    const { privateKey } = generateSigningKey();
    const other = generateSigningKey().privateKey;
    const mismatched =
      'whsk_' +
      Buffer.concat([Buffer.from(privateKey.slice(5), 'base64').subarray(0, 32), Buffer.from(other.slice(5), 'base64').subarray(32)]).toString('base64');
    expect(signingKeyProblem(privateKey)).toBeNull();
    expect(signingKeyProblem(privateKey.replace('whsk_', 'whsec_'))).toMatch(/start with whsk_/);
    expect(signingKeyProblem(`${privateKey.slice(0, 20)}*${privateKey.slice(21)}`)).toMatch(/base64/);
    expect(signingKeyProblem('whsk_' + Buffer.alloc(48).toString('base64'))).toMatch(/32 or 64 bytes, got 48/);
    expect(signingKeyProblem(mismatched)).toMatch(/not the public key/);
  });
});

describe('Standard Webhooks v1a signing', () => {
  it('signs id.timestamp.body with ed25519, which Node verifies with the public key alone', () => {
    const pair = generateSigningKey();
    const headers = signStandardWebhooksEd25519({ id: 'dlv_1', timestampSeconds: 1_700_000_000.7, body, privateKeys: [pair.privateKey] });
    expect(headers['webhook-id']).toBe('dlv_1');
    expect(headers['webhook-timestamp']).toBe('1700000000');
    expect(headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(nodeVerifies(pair.publicKey, `dlv_1.1700000000.${body}`, headers['webhook-signature']!.slice(4))).toBe(true);
    expect(nodeVerifies(pair.publicKey, `dlv_1.1700000000.${body} `, headers['webhook-signature']!.slice(4))).toBe(false);
  });

  it('sends one v1a signature per key during a rotation, current first, and @hookline/verify accepts either public key', () => {
    const [current, previous] = [generateSigningKey(), generateSigningKey()];
    const headers = signStandardWebhooksEd25519({ id: 'dlv_2', timestampSeconds: nowSeconds(), body, privateKeys: [current.privateKey, previous.privateKey] });
    const [first, second] = headers['webhook-signature']!.split(' ');
    expect(nodeVerifies(current.publicKey, `dlv_2.${headers['webhook-timestamp']}.${body}`, first!.slice(4))).toBe(true);
    expect(nodeVerifies(previous.publicKey, `dlv_2.${headers['webhook-timestamp']}.${body}`, second!.slice(4))).toBe(true);
    for (const { publicKey } of [current, previous]) {
      expect(verifyWebhook({ scheme: 'standard_webhooks_ed25519', headers, body, secret: publicKey })).toBe(true);
    }
    expect(verifyWebhook({ scheme: 'standard_webhooks_ed25519', headers, body, secret: generateSigningKey().publicKey })).toBe(false);
  });

  it('refuses to sign without a key', () => {
    expect(() => signStandardWebhooksEd25519({ id: 'dlv_3', timestampSeconds: nowSeconds(), body, privateKeys: [] })).toThrow(RangeError);
  });
});

describe('SHA-1 hex signing (X-Signature)', () => {
  it('puts the bare hex HMAC-SHA1 of the body, keyed by the secret text, in X-Signature or the named header', () => {
    const secret = 'segment-shared-secret-1';
    const expected = createHmac('sha1', secret).update(body).digest('hex');
    expect(signHexHmac({ body, secrets: [secret], algorithm: 'sha1' })).toEqual({ 'X-Signature': expected });
    expect(signHexHmac({ body, secrets: [secret], algorithm: 'sha1', header: 'X-CIO-Signature' })).toEqual({ 'X-CIO-Signature': expected });
    expect(verifyWebhook({ scheme: 'hmac_sha1_hex', headers: { 'x-signature': expected }, body, secret })).toBe(true);
  });
});
