import { randomBytes } from 'node:crypto';
import { SecretBoxError, openSecret, sealSecret } from '../../src/domain/secret-box';

const key = randomBytes(32);
const secret = 'whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cy0xMjM0NQ==';

function failureOf(action: () => unknown): string {
  try {
    action();
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(SecretBoxError);
    return (error as SecretBoxError).code;
  }
}

describe('sealing secrets at rest', () => {
  it('opens what it sealed', () => {
    expect(openSecret(sealSecret(secret, key), key)).toBe(secret);
    expect(openSecret(sealSecret('ünïcødé-secret-✓', key), key)).toBe('ünïcødé-secret-✓');
  });

  it('writes v1:<iv>:<tag>:<ciphertext> with a 12-byte IV and 16-byte tag', () => {
    const [version, iv, tag, ciphertext] = sealSecret(secret, key).split(':');
    expect(version).toBe('v1');
    expect(Buffer.from(iv!, 'base64')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64')).toHaveLength(16);
    expect(Buffer.from(ciphertext!, 'base64')).toHaveLength(Buffer.byteLength(secret));
  });

  it('does not reveal the plain secret', () => {
    const sealed = sealSecret(secret, key);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(Buffer.from(sealed.split(':')[3]!, 'base64').toString('utf8')).not.toContain('secret');
  });

  it('uses a fresh IV each time, so equal secrets seal differently', () => {
    expect(sealSecret(secret, key)).not.toBe(sealSecret(secret, key));
  });

  it('refuses to open with the wrong key', () => {
    const sealed = sealSecret(secret, key);
    expect(failureOf(() => openSecret(sealed, randomBytes(32)))).toBe('authentication_failed');
  });

  it('detects tampering with the ciphertext or tag', () => {
    const [version, iv, tag, ciphertext] = sealSecret(secret, key).split(':') as [string, string, string, string];
    const flipped = Buffer.from(ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(failureOf(() => openSecret([version, iv, tag, flipped.toString('base64')].join(':'), key))).toBe('authentication_failed');
    const otherTag = randomBytes(16).toString('base64');
    expect(failureOf(() => openSecret([version, iv, otherTag, ciphertext].join(':'), key))).toBe('authentication_failed');
  });

  it('rejects values that are not sealed secrets', () => {
    expect(failureOf(() => openSecret(secret, key))).toBe('malformed');
    expect(failureOf(() => openSecret('v2:a:b:c', key))).toBe('malformed');
    expect(failureOf(() => openSecret('v1:AAAA:AAAA:AAAA', key))).toBe('malformed');
  });

  it('requires a 32-byte key', () => {
    expect(failureOf(() => sealSecret(secret, randomBytes(16)))).toBe('invalid_key');
    expect(failureOf(() => openSecret(sealSecret(secret, key), randomBytes(31)))).toBe('invalid_key');
  });
});
