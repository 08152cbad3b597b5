// verifyWebhook accepts exactly what Hookline signs, for every scheme, and says why it refuses the rest.
import { verifyWebhook, verifyWebhookOrThrow, WebhookVerificationError } from '../src';
import { BODY, ed25519Headers, ed25519Pair, hexSignature, SECRET, sha1Signature, standardHeaders } from './signing';

function reasonOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof WebhookVerificationError ? error.reason : `unexpected ${String(error)}`;
  }
}

describe('verifyWebhook with Standard Webhooks (the default scheme)', () => {
  it('accepts a fresh signature over the raw body, as a string or as bytes', () => {
    const headers = standardHeaders(BODY);
    expect(verifyWebhook({ headers, body: BODY, secret: SECRET })).toBe(true);
    expect(verifyWebhook({ headers, body: Buffer.from(BODY), secret: SECRET })).toBe(true);
  });

  it('reads fetch Headers and any header-name case', () => {
    const headers = Object.fromEntries(Object.entries(standardHeaders(BODY)).map(([name, value]) => [name.toUpperCase(), value]));
    expect(verifyWebhook({ headers, body: BODY, secret: SECRET })).toBe(true);
    expect(verifyWebhook({ headers: new Headers(standardHeaders(BODY)), body: BODY, secret: SECRET })).toBe(true);
  });

  it('accepts either signature during a rotation, and either of two secrets the receiver holds', () => {
    const other = 'whsec_' + Buffer.from('another-secret-of-thirty-two-bytes!!').toString('base64');
    const signed = standardHeaders(BODY);
    const rotated = {
      ...signed,
      'webhook-signature': `${standardHeaders(BODY, { secret: other, timestamp: Number(signed['webhook-timestamp']) })['webhook-signature']} ${signed['webhook-signature']}`,
    };
    expect(verifyWebhook({ headers: rotated, body: BODY, secret: SECRET })).toBe(true);
    expect(verifyWebhook({ headers: signed, body: BODY, secret: [other, SECRET] })).toBe(true);
  });

  it('refuses a changed body, a wrong secret, a stale timestamp and missing headers, naming the reason', () => {
    const headers = standardHeaders(BODY);
    expect(reasonOf(() => verifyWebhookOrThrow({ headers, body: BODY.replace('c_42', 'c_43'), secret: SECRET }))).toBe('no_matching_signature');
    expect(reasonOf(() => verifyWebhookOrThrow({ headers, body: BODY, secret: 'whsec_' + Buffer.from('x'.repeat(32)).toString('base64') }))).toBe(
      'no_matching_signature',
    );
    const stale = standardHeaders(BODY, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(reasonOf(() => verifyWebhookOrThrow({ headers: stale, body: BODY, secret: SECRET }))).toBe('timestamp_out_of_tolerance');
    expect(reasonOf(() => verifyWebhookOrThrow({ headers: { 'webhook-id': 'dlv_1' }, body: BODY, secret: SECRET }))).toBe('missing_headers');
  });

  it('takes a secret without the whsec_ prefix as text', () => {
    const key = 'my-own-secret-of-some-length';
    const headers = standardHeaders(BODY, { secret: 'whsec_' + Buffer.from(key).toString('base64') });
    expect(verifyWebhook({ headers, body: BODY, secret: key })).toBe(true);
  });
});

describe('verifyWebhook with the hex scheme', () => {
  it('accepts sha256=<hex> keyed by the secret text, in the default or a named header', () => {
    expect(verifyWebhook({ scheme: 'hmac_sha256_hex', headers: { 'x-webhook-signature': hexSignature(BODY) }, body: BODY, secret: SECRET })).toBe(true);
    expect(
      verifyWebhook({ scheme: 'hmac_sha256_hex', header: 'X-Signature', headers: { 'x-signature': hexSignature(BODY) }, body: BODY, secret: SECRET }),
    ).toBe(true);
  });

  it('accepts either value of a rotation and refuses a changed body', () => {
    const rotated = `${hexSignature(BODY, 'an-older-secret-text')},${hexSignature(BODY)}`;
    expect(verifyWebhook({ scheme: 'hmac_sha256_hex', headers: { 'x-webhook-signature': rotated }, body: BODY, secret: SECRET })).toBe(true);
    expect(
      reasonOf(() => verifyWebhookOrThrow({ scheme: 'hmac_sha256_hex', headers: { 'x-webhook-signature': rotated }, body: `${BODY} `, secret: SECRET })),
    ).toBe('no_matching_signature');
  });
});

describe('verifyWebhook with Standard Webhooks v1a (ed25519)', () => {
  const current = ed25519Pair();
  const older = ed25519Pair('an-older-ed25519-seed-of-32-byte');
  const scheme = 'standard_webhooks_ed25519' as const;

  it('accepts a v1a signature with the whpk_ public key alone, either of two during a rotation', () => {
    const headers = ed25519Headers(BODY, [current.privateKey, older.privateKey]);
    expect(verifyWebhook({ scheme, headers, body: BODY, secret: current.publicKey })).toBe(true);
    expect(verifyWebhook({ scheme, headers, body: Buffer.from(BODY), secret: older.publicKey })).toBe(true);
    expect(verifyWebhook({ scheme, headers: ed25519Headers(BODY, [older.privateKey]), body: BODY, secret: [older.publicKey, current.publicKey] })).toBe(true);
  });

  it('refuses a changed body, another key, a stale timestamp, a v1 signature in its place, and a non-canonical spelling', () => {
    const headers = ed25519Headers(BODY, [current.privateKey]);
    const verify = (input: Partial<Parameters<typeof verifyWebhookOrThrow>[0]>) =>
      reasonOf(() => verifyWebhookOrThrow({ scheme, headers, body: BODY, secret: current.publicKey, ...input }));
    expect(verify({ body: `${BODY} ` })).toBe('no_matching_signature');
    expect(verify({ secret: older.publicKey })).toBe('no_matching_signature');
    expect(verify({ nowSeconds: Number(headers['webhook-timestamp']) + 301 })).toBe('timestamp_out_of_tolerance');
    expect(verify({ headers: standardHeaders(BODY) })).toBe('no_matching_signature');
    // The same 64 bytes with a junk character that Node's base64 decoder would skip.
    const signature = headers['webhook-signature']!.slice('v1a,'.length);
    expect(verify({ headers: { ...headers, 'webhook-signature': `v1a,${signature.slice(0, 10)}*${signature.slice(10)}` } })).toBe('no_matching_signature');
  });

  it('takes only a whpk_ public key, so a secret passed by mistake is an error rather than a refusal', () => {
    expect(() => verifyWebhook({ scheme, headers: ed25519Headers(BODY, [current.privateKey]), body: BODY, secret: SECRET })).toThrow(TypeError);
  });
});

describe('verifyWebhook with the SHA-1 hex scheme (X-Signature)', () => {
  it('accepts the bare hex HMAC-SHA1 of the body in X-Signature or a named header, and refuses a sha256= value or a changed body', () => {
    const scheme = 'hmac_sha1_hex' as const;
    expect(verifyWebhook({ scheme, headers: { 'x-signature': sha1Signature(BODY) }, body: BODY, secret: SECRET })).toBe(true);
    expect(verifyWebhook({ scheme, header: 'X-Hub-Signature', headers: { 'x-hub-signature': sha1Signature(BODY) }, body: BODY, secret: SECRET })).toBe(true);
    expect(reasonOf(() => verifyWebhookOrThrow({ scheme, headers: { 'x-signature': hexSignature(BODY) }, body: BODY, secret: SECRET }))).toBe(
      'no_matching_signature',
    );
    expect(reasonOf(() => verifyWebhookOrThrow({ scheme, headers: { 'x-signature': sha1Signature(BODY) }, body: `${BODY} `, secret: SECRET }))).toBe(
      'no_matching_signature',
    );
    expect(reasonOf(() => verifyWebhookOrThrow({ scheme, headers: {}, body: BODY, secret: SECRET }))).toBe('missing_headers');
  });
});

it('refuses to verify with an empty secret rather than accept anything', () => {
  expect(() => verifyWebhook({ headers: standardHeaders(BODY), body: BODY, secret: '' })).toThrow(TypeError);
});
