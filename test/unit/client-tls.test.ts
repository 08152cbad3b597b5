// The rules of a client certificate (mutual TLS) as a destination setting, and the Agents that present them, without a server.
import { Agent } from 'undici';
import { ClientTlsAgents } from '../../src/activities/http/client-tls-agents';
import {
  assertPlainClientTls,
  checkClientTls,
  clientCertificateExpiry,
  maskClientTls,
  mergeClientTls,
  openClientKey,
  sealClientTls,
} from '../../src/domain/client-tls';
import { RuleViolationError } from '../../src/domain/errors';
import { certificateAuthority, issue, type Issued } from '../support/certificates';

const KEY = Buffer.alloc(32, 7);
const MASK = '••••••';

describe('a client certificate as a destination setting', () => {
  let client: Issued;
  let other: Issued;

  beforeAll(async () => {
    const authority = await certificateAuthority('Unit Client CA');
    client = await issue(authority, 'unit-client', 'client');
    other = await issue(authority, 'unit-other', 'client');
  });

  const tls = (issued: Issued) => ({ certificate: issued.certificate, private_key: issued.privateKey, ca: null });
  const problem = (run: () => void) => {
    try {
      run();
      return null;
    } catch (error) {
      return error instanceof RuleViolationError ? [error.code, error.details[0]?.path] : error;
    }
  };

  it('accepts a certificate with its own key, sealed or plain, and knows when it expires', () => {
    expect(problem(() => checkClientTls(tls(client), KEY, new Date()))).toBeNull();
    expect(problem(() => checkClientTls(sealClientTls(tls(client), KEY), KEY, new Date()))).toBeNull();
    expect(clientCertificateExpiry(tls(client))?.getTime()).toBe(Math.floor(client.notAfter.getTime() / 1000) * 1000);
  });

  it('refuses another certificate’s key, an expired certificate, and text that is not PEM, naming the field', () => {
    const tomorrowAfterExpiry = new Date(client.notAfter.getTime() + 86_400_000);
    expect(problem(() => checkClientTls({ ...tls(client), private_key: other.privateKey }, KEY, new Date()))).toEqual([
      'invalid_client_tls',
      'body.client_tls.private_key',
    ]);
    expect(problem(() => checkClientTls(tls(client), KEY, tomorrowAfterExpiry))).toEqual(['invalid_client_tls', 'body.client_tls.certificate']);
    expect(problem(() => checkClientTls({ ...tls(client), ca: 'no pem here' }, KEY, new Date()))).toEqual(['invalid_client_tls', 'body.client_tls.ca']);
  });

  it('seals the key, masks it in answers, keeps the stored one for the mask, and refuses the mask with nothing stored', () => {
    const stored = sealClientTls(tls(client), KEY)!;
    expect(stored.private_key).toMatch(/^sealed:/);
    expect(openClientKey(stored.private_key, KEY)).toBe(client.privateKey);
    expect(maskClientTls(stored)).toMatchObject({ private_key: MASK, subject: 'CN=unit-client', issuer: 'CN=Unit Client CA' });
    expect(mergeClientTls({ ...tls(client), private_key: MASK }, stored)).toEqual(stored);
    expect(mergeClientTls(tls(other), stored)).toEqual(tls(other));
    expect(problem(() => assertPlainClientTls({ ...tls(client), private_key: MASK }, null))).toEqual(['invalid_client_tls', 'body.client_tls.private_key']);
    expect(problem(() => assertPlainClientTls({ ...tls(client), private_key: stored.private_key }, stored))).toEqual([
      'invalid_client_tls',
      'body.client_tls.private_key',
    ]);
  });
});

describe('the Agents of destinations with a client certificate', () => {
  const made: string[] = [];
  const agents = (max?: number) =>
    new ClientTlsAgents(
      (options) => {
        made.push(options.cert);
        return new Agent();
      },
      (sealed) => `opened ${sealed}`,
      max,
    );
  const stored = (certificate: string) => ({ certificate, sealedKey: `sealed:${certificate}`, ca: null });

  beforeEach(() => (made.length = 0));

  it('makes one Agent per destination and certificate, reused by every attempt', async () => {
    const pool = agents();
    const first = pool.for('dst_a', stored('cert-1'));
    expect(pool.for('dst_a', stored('cert-1'))).toBe(first);
    expect(pool.for('dst_b', stored('cert-1'))).not.toBe(first);
    expect(made).toEqual(['cert-1', 'cert-1']);
    await pool.close();
  });

  it('replaces a destination’s Agent when its certificate changes, and keeps at most the cap, dropping the least recently used', async () => {
    const pool = agents(2);
    const a1 = pool.for('dst_a', stored('cert-1'));
    const a2 = pool.for('dst_a', stored('cert-2'));
    expect(a2).not.toBe(a1);
    expect(a1.closed).toBe(true);
    const b = pool.for('dst_b', stored('cert-b'));
    pool.for('dst_a', stored('cert-2'));
    pool.for('dst_c', stored('cert-c'));
    expect(b.closed).toBe(true);
    expect(a2.closed).toBe(false);
    await pool.close();
  });
});
