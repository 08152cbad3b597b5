// OAuth 2.0 client credentials as rules: the token request in both client-authentication styles, reading the endpoint's answer, and when a token is renewed.
import { MASK } from '../../src/domain/credential-mask';
import {
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  mergeOAuth,
  readTokenAnswer,
  renewAtMs,
  sealOAuth,
  tokenRequest,
  tokenSettingsKey,
  type OAuthSettings,
} from '../../src/domain/oauth';

const key = Buffer.alloc(32, 5);
const settings = (overrides: Partial<OAuthSettings> = {}): OAuthSettings =>
  sealOAuth(
    {
      token_url: 'https://auth.example.com/token',
      client_id: 'id:1',
      client_secret: 's3cret &=',
      scope: null,
      audience: null,
      client_auth: 'basic',
      ...overrides,
    },
    key,
  )!;

describe('the token request (RFC 6749 §4.4)', () => {
  it('authenticates the client with a Basic header of the form-encoded id and secret, the grant alone in the body', () => {
    const request = tokenRequest(settings({ scope: 'contacts.write', audience: 'https://crm.example.com' }), key);
    expect(request.headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      authorization: `Basic ${Buffer.from('id%3A1:s3cret+%26%3D').toString('base64')}`,
    });
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'contacts.write',
      audience: 'https://crm.example.com',
    });
  });

  it('or puts client_id and client_secret in the form body', () => {
    const request = tokenRequest(settings({ client_auth: 'body' }), key);
    expect(request.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ grant_type: 'client_credentials', client_id: 'id:1', client_secret: 's3cret &=' });
  });
});

describe("the token endpoint's answer", () => {
  it('takes a Bearer access token and its lifetime, or an hour when it names none', () => {
    expect(readTokenAnswer(200, '{"access_token":"t1","token_type":"Bearer","expires_in":120}')).toEqual({
      ok: true,
      accessToken: 't1',
      expiresInSeconds: 120,
    });
    expect(readTokenAnswer(200, '{"access_token":"t2","token_type":"bearer"}')).toEqual({
      ok: true,
      accessToken: 't2',
      expiresInSeconds: DEFAULT_TOKEN_LIFETIME_SECONDS,
    });
  });

  it('names a refusal by status and error code only, never echoing the body', () => {
    expect(readTokenAnswer(400, '{"error":"invalid_client","error_description":"secret s3cret is wrong"}')).toEqual({
      ok: false,
      reason: '400 invalid_client',
    });
    expect(readTokenAnswer(503, '<html>down</html>')).toEqual({ ok: false, reason: '503' });
    expect(readTokenAnswer(200, '{"token_type":"Bearer"}')).toEqual({ ok: false, reason: '200 without an access_token' });
    expect(readTokenAnswer(200, '{"access_token":"t","token_type":"mac"}')).toEqual({ ok: false, reason: 'token_type mac is not Bearer' });
    expect(readTokenAnswer(200, '{"access_token":"a\\r\\nX-Injected: 1"}')).toEqual({ ok: false, reason: '200 without an access_token' });
  });
});

describe('a token’s life', () => {
  it('is renewed a tenth of its life before it ends, at most a minute before', () => {
    expect(renewAtMs(0, 100)).toBe(90_000);
    expect(renewAtMs(0, 3_600)).toBe(3_540_000);
  });

  it('belongs to the settings it was fetched with: another secret or scope needs another token; the mask keeps the secret', () => {
    const current = settings();
    expect(tokenSettingsKey(mergeOAuth({ ...current, client_secret: MASK }, current)!)).toBe(tokenSettingsKey(current));
    expect(tokenSettingsKey({ ...current, scope: 'other' })).not.toBe(tokenSettingsKey(current));
    expect(tokenSettingsKey(settings())).not.toBe(tokenSettingsKey(current));
  });
});
