// Basic auth as a destination setting: what it may hold, how answers mask it, how a PATCH keeps it, and the header it makes.
import { assertPlainBasicAuth, basicAuthorization, checkBasicAuth, maskBasicAuth, mergeBasicAuth, sealBasicAuth } from '../../src/domain/basic-auth';
import { MASK } from '../../src/domain/credential-mask';
import { RuleViolationError } from '../../src/domain/errors';

const key = Buffer.alloc(32, 7);

function codeOf(run: () => void): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof RuleViolationError ? `${error.code} ${error.message}` : `unexpected ${String(error)}`;
  }
}

describe('Basic auth', () => {
  it('makes Authorization: Basic of the UTF-8 user:password (RFC 7617), from the sealed password', () => {
    const sealed = sealBasicAuth({ username: 'zoë', password: 'pa:ss wörd' }, key)!;
    expect(sealed.password).toMatch(/^sealed:/);
    expect(sealed.password).not.toContain('pa:ss');
    expect(basicAuthorization(sealed.username, sealed.password, key)).toBe(`Basic ${Buffer.from('zoë:pa:ss wörd', 'utf8').toString('base64')}`);
  });

  it('refuses a colon in the username and control characters in either part', () => {
    expect(codeOf(() => checkBasicAuth({ username: 'a:b', password: 'x' }))).toMatch(/^invalid_basic_auth .*":"/);
    expect(codeOf(() => checkBasicAuth({ username: 'a\nb', password: 'x' }))).toMatch(/^invalid_basic_auth .*control/);
    expect(codeOf(() => checkBasicAuth({ username: 'ab', password: 'x\u0000' }))).toMatch(/^invalid_basic_auth .*control/);
    expect(codeOf(() => checkBasicAuth({ username: 'ab', password: 'fine: with colons' }))).toBeNull();
  });

  it('shows the username and masks the password; the mask sent back keeps the stored password, a new one replaces it', () => {
    const stored = sealBasicAuth({ username: 'crm', password: 'secret-1' }, key);
    expect(maskBasicAuth(stored)).toEqual({ username: 'crm', password: MASK });
    expect(mergeBasicAuth({ username: 'crm2', password: MASK }, stored)).toEqual({ username: 'crm2', password: stored!.password });
    expect(mergeBasicAuth({ username: 'crm', password: 'secret-2' }, stored)).toEqual({ username: 'crm', password: 'secret-2' });
    expect(mergeBasicAuth(null, stored)).toBeNull();
  });

  it('refuses a password that looks sealed, or the mask when no password is stored to keep', () => {
    expect(codeOf(() => assertPlainBasicAuth({ username: 'a', password: 'sealed:v1:x' }, null))).toMatch(/^invalid_basic_auth/);
    expect(codeOf(() => assertPlainBasicAuth({ username: 'a', password: MASK }, null))).toMatch(/^invalid_basic_auth .*none is stored/);
    expect(codeOf(() => assertPlainBasicAuth({ username: 'a', password: MASK }, { username: 'a', password: 'sealed:v1:x' }))).toBeNull();
  });
});
