// What Hookline signs with: its secrets, and Standard Webhooks and hex signatures that the reference library and @hookline/verify accept.
import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError as ReferenceVerificationError } from 'standardwebhooks';
import { WebhookVerificationError, verifyWebhook, verifyWebhookOrThrow } from '@hookline/verify';
import { generateSecret, secretKeyBytes, signHexHmac, signStandardWebhooks, validateSecret } from '../../src/domain/sign';

const body = JSON.stringify({ id: 'evt_1', type: 'contact.created', data: { name: 'Zoë' } });
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('signing secrets', () => {
  it('are generated in the Standard Webhooks form with a 32-byte key', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKeyBytes(secret)).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
  });

  it('accept generated secrets, strict base64 whsec_ keys of 24–64 bytes, and plain text of 16+ characters', () => {
    expect(validateSecret(generateSecret())).toBeNull();
    expect(validateSecret(`whsec_${Buffer.alloc(24, 1).toString('base64')}`)).toBeNull();
    expect(validateSecret('sixteen-chars-ok')).toBeNull();
    expect(validateSecret(`whsec_${Buffer.alloc(16, 1).toString('base64')}`)).toMatch(/24 to 64 bytes/);
    expect(validateSecret('whsec_not*base64!')).toMatch(/base64/);
    expect(validateSecret('too-short')).toMatch(/16 characters/);
  });

  it('are required for signing', () => {
    expect(() => signStandardWebhooks({ id: 'msg_0', timestampSeconds: 1, body, secrets: [] })).toThrow(RangeError);
    expect(() => signHexHmac({ body, secrets: [] })).toThrow(RangeError);
  });

  it('use the UTF-8 bytes of user-supplied secrets as the key', () => {
    expect(secretKeyBytes('my-own-secret-1234')).toEqual(Buffer.from('my-own-secret-1234', 'utf8'));
  });
});

describe('standard webhooks signing', () => {
  it('produces webhook-id, webhook-timestamp and a v1 signature', () => {
    const headers = signStandardWebhooks({ id: 'msg_1', timestampSeconds: 1_700_000_000, body, secrets: [generateSecret()] });
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe('1700000000');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('verifies with the standardwebhooks reference library', () => {
    const secret = generateSecret();
    const headers = signStandardWebhooks({ id: 'msg_2', timestampSeconds: nowSeconds(), body, secrets: [secret] });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('verifies user-supplied secrets with the reference library given the raw key', () => {
    const secret = 'a-user-chosen-secret-value';
    const headers = signStandardWebhooks({ id: 'msg_3', timestampSeconds: nowSeconds(), body, secrets: [secret] });
    const reference = new Webhook(new TextEncoder().encode(secret), { format: 'raw' });
    expect(reference.verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('sends both signatures during rotation, current first, and each secret alone verifies', () => {
    const current = generateSecret();
    const previous = generateSecret();
    const headers = signStandardWebhooks({ id: 'msg_4', timestampSeconds: nowSeconds(), body, secrets: [current, previous] });
    const [first, second] = headers['webhook-signature']!.split(' ');
    expect(first).toBe(
      signStandardWebhooks({ id: 'msg_4', timestampSeconds: Number(headers['webhook-timestamp']), body, secrets: [current] })['webhook-signature'],
    );
    expect(second).toMatch(/^v1,/);
    for (const secret of [current, previous]) {
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
      expect(verifyWebhook({ headers, body, secret })).toBe(true);
    }
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow(ReferenceVerificationError);
  });

  it('accepts its own signatures with header names in any case and a Buffer body', () => {
    const secret = generateSecret();
    const signed = signStandardWebhooks({ id: 'msg_5', timestampSeconds: 1_700_000_000, body, secrets: [secret] });
    const headers = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyWebhook({ headers, body: Buffer.from(body), secret, nowSeconds: 1_700_000_100 })).toBe(true);
  });

  it('rejects a tampered body', () => {
    const secret = generateSecret();
    const headers = signStandardWebhooks({ id: 'msg_6', timestampSeconds: nowSeconds(), body, secrets: [secret] });
    expect(verifyWebhook({ headers, body: body.replace('Zoë', 'Zoe'), secret })).toBe(false);
    expect(() => new Webhook(secret).verify(body.replace('Zoë', 'Zoe'), headers)).toThrow(ReferenceVerificationError);
  });

  it('rejects a timestamp outside the tolerance, in either direction', () => {
    const secret = generateSecret();
    const headers = signStandardWebhooks({ id: 'msg_7', timestampSeconds: 1_700_000_000, body, secrets: [secret] });
    expect(verifyWebhook({ headers, body, secret, nowSeconds: 1_700_000_301 })).toBe(false);
    expect(verifyWebhook({ headers, body, secret, nowSeconds: 1_699_999_699 })).toBe(false);
    expect(verifyWebhook({ headers, body, secret, nowSeconds: 1_700_000_300 })).toBe(true);
    expect(verifyWebhook({ headers, body, secret, nowSeconds: 1_700_003_000, toleranceSeconds: 3600 })).toBe(true);
  });

  it('rejects a signature whose id or timestamp header was swapped', () => {
    const secret = generateSecret();
    const headers = signStandardWebhooks({ id: 'msg_8', timestampSeconds: 1_700_000_000, body, secrets: [secret] });
    expect(verifyWebhook({ headers: { ...headers, 'webhook-id': 'msg_9' }, body, secret, nowSeconds: 1_700_000_000 })).toBe(false);
    expect(verifyWebhook({ headers: { ...headers, 'webhook-timestamp': '1700000001' }, body, secret, nowSeconds: 1_700_000_000 })).toBe(false);
  });

  it('names the reason when verification fails', () => {
    const secret = generateSecret();
    const headers = signStandardWebhooks({ id: 'msg_10', timestampSeconds: 1_700_000_000, body, secrets: [secret] });
    const reasonFor = (input: Parameters<typeof verifyWebhookOrThrow>[0]) => {
      try {
        verifyWebhookOrThrow(input);
        return 'verified';
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookVerificationError);
        return (error as WebhookVerificationError).reason;
      }
    };
    expect(reasonFor({ headers: { 'webhook-id': 'msg_10' }, body, secret })).toBe('missing_headers');
    expect(reasonFor({ headers, body, secret, nowSeconds: 1_800_000_000 })).toBe('timestamp_out_of_tolerance');
    expect(reasonFor({ headers: { ...headers, 'webhook-timestamp': 'soon' }, body, secret })).toBe('timestamp_out_of_tolerance');
    expect(reasonFor({ headers, body, secret: generateSecret(), nowSeconds: 1_700_000_000 })).toBe('no_matching_signature');
    expect(reasonFor({ headers, body, secret, nowSeconds: 1_700_000_000 })).toBe('verified');
  });

  it('ignores signature versions other than v1', () => {
    const secret = generateSecret();
    const headers = signStandardWebhooks({ id: 'msg_11', timestampSeconds: 1_700_000_000, body, secrets: [secret] });
    const v2 = headers['webhook-signature']!.replace('v1,', 'v2,');
    expect(verifyWebhook({ headers: { ...headers, 'webhook-signature': v2 }, body, secret, nowSeconds: 1_700_000_000 })).toBe(false);
  });
});

describe('hex hmac signing', () => {
  it('puts sha256=<hex HMAC of the body> in X-Webhook-Signature', () => {
    const secret = 'plain-user-secret-123';
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    expect(signHexHmac({ body, secrets: [secret] })).toEqual({ 'X-Webhook-Signature': `sha256=${expected}` });
  });

  it('keys generated whsec_ secrets with their text as shown, as a plain-HMAC receiver does', () => {
    const secret = generateSecret();
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    expect(signHexHmac({ body, secrets: [secret], header: 'X-Signature' })).toEqual({ 'X-Signature': `sha256=${expected}` });
  });

  it('lists both signatures comma-separated during rotation, and each secret verifies', () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const headers = signHexHmac({ body, secrets: [current, previous] });
    expect(headers['X-Webhook-Signature']).toMatch(/^sha256=[0-9a-f]{64},sha256=[0-9a-f]{64}$/);
    for (const secret of [current, previous]) {
      expect(verifyWebhook({ headers, body, secret, scheme: 'hmac_sha256_hex' })).toBe(true);
    }
    expect(verifyWebhook({ headers, body, secret: generateSecret(), scheme: 'hmac_sha256_hex' })).toBe(false);
  });

  it('verifies against a custom header, matched case-insensitively', () => {
    const secret = generateSecret();
    const headers = { 'x-hub-signature-256': signHexHmac({ body, secrets: [secret], header: 'X-Hub-Signature-256' })['X-Hub-Signature-256'] };
    expect(verifyWebhook({ headers, body, secret, scheme: 'hmac_sha256_hex', header: 'X-Hub-Signature-256' })).toBe(true);
    expect(verifyWebhook({ headers, body, secret, scheme: 'hmac_sha256_hex' })).toBe(false);
  });

  it('rejects a tampered body and malformed values', () => {
    const secret = generateSecret();
    const headers = signHexHmac({ body, secrets: [secret] });
    expect(verifyWebhook({ headers, body: `${body} `, secret, scheme: 'hmac_sha256_hex' })).toBe(false);
    const truncated = { 'X-Webhook-Signature': headers['X-Webhook-Signature']!.slice(0, -2) };
    expect(verifyWebhook({ headers: truncated, body, secret, scheme: 'hmac_sha256_hex' })).toBe(false);
  });
});
