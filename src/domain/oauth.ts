// OAuth 2.0 client credentials (RFC 6749 §4.4) as a destination setting: its rules, the token request, the answer read, and when a token is renewed.
import { createHash } from 'node:crypto';
import { MASK } from './credential-mask';
import { RuleViolationError } from './errors';
import { isSealedHeaderValue, openHeaderValues, sealHeaderValues } from './header-values';

export const OAUTH_CLIENT_AUTH = ['basic', 'body'] as const;
export type OAuthClientAuth = (typeof OAUTH_CLIENT_AUTH)[number];

export interface OAuthSettings {
  token_url: string;
  client_id: string;
  /** Plain as a person sends it; sealed (`sealed:…`) once stored; the mask in every answer. */
  client_secret: string;
  scope: string | null;
  audience: string | null;
  /** RFC 6749 §2.3.1: an HTTP Basic header (recommended) or client_id and client_secret in the form body; both exist. */
  client_auth: OAuthClientAuth;
}

/** A token is renewed this long before it expires: a tenth of its life, at most a minute. */
export function renewAtMs(fetchedAtMs: number, expiresInSeconds: number): number {
  const lifeMs = expiresInSeconds * 1000;
  return fetchedAtMs + lifeMs - Math.min(60_000, lifeMs / 10);
}

/** A token endpoint that names no lifetime: kept this long, and renewed at once on a 401. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3_600;

function invalid(path: string, message: string): RuleViolationError {
  return new RuleViolationError('invalid_oauth', message, [{ path, message }]);
}

export function checkOAuth(oauth: OAuthSettings | null): void {
  if (oauth === null) return;
  if (!URL.canParse(oauth.token_url)) throw invalid('body.oauth.token_url', 'token_url is not an absolute URL');
  // RFC 6749 §2.3.1 form-encodes the id for the Basic header; a colon in it is legal there and in the body.
  if (/[\u0000-\u001f\u007f]/.test(oauth.client_id)) throw invalid('body.oauth.client_id', 'the client id contains a control character');
}

/** What a person sends: never a value that looks sealed, and the mask only where a secret is stored to keep. */
export function assertPlainOAuth(requested: OAuthSettings | null | undefined, stored: OAuthSettings | null): void {
  if (!requested) return;
  if (isSealedHeaderValue(requested.client_secret)) throw invalid('body.oauth.client_secret', 'the client secret cannot start with "sealed:"');
  if (requested.client_secret === MASK && stored === null) {
    throw invalid('body.oauth.client_secret', 'send the client secret itself: none is stored to keep');
  }
}

export function maskOAuth(oauth: OAuthSettings | null): OAuthSettings | null {
  return oauth === null ? null : { ...oauth, client_secret: MASK };
}

/** A secret sent back masked keeps the stored one, as header values and Basic auth passwords do. */
export function mergeOAuth(requested: OAuthSettings | null, stored: OAuthSettings | null): OAuthSettings | null {
  if (requested === null || requested.client_secret !== MASK || stored === null) return requested;
  return { ...requested, client_secret: stored.client_secret };
}

export function sealOAuth(oauth: OAuthSettings | null, key: Buffer): OAuthSettings | null {
  return oauth === null ? null : { ...oauth, client_secret: sealHeaderValues({ secret: oauth.client_secret }, key).secret! };
}

/** Which settings a cached token was fetched with: any change (a new secret, another scope) makes it unusable. */
export function tokenSettingsKey(oauth: OAuthSettings): string {
  const parts = [oauth.token_url, oauth.client_id, oauth.client_secret, oauth.scope ?? '', oauth.audience ?? '', oauth.client_auth];
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** RFC 6749 §2.3.1 form-encodes the id and secret before joining them for the Basic header. */
function formEncoded(text: string): string {
  return new URLSearchParams({ v: text }).toString().slice(2);
}

/** The token request: a form POST, the client authenticated as the setting says; `sealed` secret opened here. */
export function tokenRequest(oauth: OAuthSettings, key: Buffer): { headers: Record<string, string>; body: string } {
  const secret = openHeaderValues({ secret: oauth.client_secret }, key).secret!;
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (oauth.scope) form.set('scope', oauth.scope);
  if (oauth.audience) form.set('audience', oauth.audience);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (oauth.client_auth === 'basic') {
    headers.authorization = `Basic ${Buffer.from(`${formEncoded(oauth.client_id)}:${formEncoded(secret)}`).toString('base64')}`;
  } else {
    form.set('client_id', oauth.client_id);
    form.set('client_secret', secret);
  }
  return { headers, body: form.toString() };
}

/** A refusal's `reason` is what follows `oauth_token_failed: ` in the attempt record, e.g. `400 invalid_client`. */
export type TokenAnswer = { ok: true; accessToken: string; expiresInSeconds: number } | { ok: false; reason: string };

/**
 * The token endpoint's answer (RFC 6749 §5.1, §5.2). A refusal is named by its status and `error` code, never its body
 * beyond that: a misconfigured endpoint may echo the credentials back.
 */
export function readTokenAnswer(status: number, body: string): TokenAnswer {
  let parsed: Record<string, unknown> | null = null;
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) parsed = value as Record<string, unknown>;
  } catch {
    parsed = null;
  }
  if (status < 200 || status >= 300) {
    const code = typeof parsed?.error === 'string' && /^[\x20-\x7e]{1,64}$/.test(parsed.error) ? ` ${parsed.error}` : '';
    return { ok: false, reason: `${status}${code}` };
  }
  const token = parsed?.access_token;
  if (typeof token !== 'string' || token === '' || /[\r\n]/.test(token)) return { ok: false, reason: `${status} without an access_token` };
  const type = parsed?.token_type;
  if (typeof type === 'string' && type.toLowerCase() !== 'bearer') return { ok: false, reason: `token_type ${type.slice(0, 32)} is not Bearer` };
  const expiresIn = Number(parsed?.expires_in);
  return { ok: true, accessToken: token, expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_TOKEN_LIFETIME_SECONDS };
}
