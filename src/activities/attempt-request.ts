// Prepares one attempt's request from its context: rendered URL, headers and body, and the signature over them.
import type { Config } from '../config/config';
import { buildTemplateVariables, renderRequest } from '../domain/render';
import { openSecret } from '../domain/secret-box';
import { signHexHmac, signStandardWebhooks, signStandardWebhooksEd25519 } from '../domain/sign';
import { basicAuthorization } from '../domain/basic-auth';
import { isHexScheme } from '../domain/destination';
import type { AttemptContext } from '../store/attempt-context';
import { HOOKLINE_VERSION } from '../version';
import { MASKED_HEADER_VALUE, openHeaderValues } from '../domain/header-values';

export interface PreparedRequest {
  url: string;
  body: string;
  /** What the attempt row keeps: without signature headers, so a stored request cannot help forge one. */
  storedHeaders: Record<string, string>;
  sentHeaders: Record<string, string>;
  /**
   * Hex scheme during a rotation's grace period: the same request signed with the other secret. Each request carries
   * one signature, since receivers of that scheme compare the whole header; one that refuses the first (401/403) gets this.
   */
  fallback: { sentHeaders: Record<string, string>; signedWithPrevious: boolean } | null;
}

/** The ed25519 keys that sign: the current one, and during a rotation's grace period the one it replaced. */
function signingKeys(row: AttemptContext, key: Buffer, now: Date): string[] {
  // Made with the scheme by the API; a row without one cannot sign v1a, and sending it unsigned would look signed to no one.
  if (row.signing_key_sealed === null) throw new RangeError('this destination has no ed25519 signing key: rotate its signing key');
  const current = openSecret(row.signing_key_sealed, key);
  const inGrace = row.previous_signing_key_sealed && row.previous_signing_key_expires_at && row.previous_signing_key_expires_at > now;
  return inGrace ? [current, openSecret(row.previous_signing_key_sealed!, key)] : [current];
}

function signingSecrets(row: AttemptContext, key: Buffer, now: Date): { current: string; previous: string | null } {
  // During a rotation's grace period receivers may still hold the old secret.
  const inGrace = row.previous_secret_sealed && row.previous_secret_expires_at && row.previous_secret_expires_at > now;
  return { current: openSecret(row.secret_sealed, key), previous: inGrace ? openSecret(row.previous_secret_sealed!, key) : null };
}

/** Basic auth's header; with `key` null, only its name (what the attempt row masks). */
function authorizationOf(row: AttemptContext, key: Buffer | null): Record<string, string> {
  if (row.basic_auth_username === null || row.basic_auth_password_sealed === null) return {};
  return { authorization: key === null ? MASKED_HEADER_VALUE : basicAuthorization(row.basic_auth_username, row.basic_auth_password_sealed, key) };
}

/** Throws the domain's TemplateError when a template cannot render for this event. */
export function prepareRequest(row: AttemptContext, config: Config, now: Date): PreparedRequest {
  const vars = buildTemplateVariables({
    eventId: row.event_id,
    eventType: row.event_type,
    occurredAt: row.occurred_at.toISOString(),
    data: row.data,
    subject: row.subject,
    workspaceId: row.workspace_id,
    destinationName: row.name,
  });
  const template = { ...row, headers: openHeaderValues(row.headers, config.encryptionKey) };
  const rendered = renderRequest(template, vars, `Hookline/${HOOKLINE_VERSION}`, config.delivery.maxRequestBytes);
  const { url, body } = rendered;
  const headers = { ...rendered.headers, ...authorizationOf(row, config.encryptionKey) };
  // The attempt row keeps the destination's own header names, never their values (credentials).
  const storedHeaders = { ...headers };
  for (const name of [...Object.keys(row.headers), ...Object.keys(authorizationOf(row, null))]) storedHeaders[name.toLowerCase()] = MASKED_HEADER_VALUE;
  // An OAuth destination's bearer token is added just before sending (attempt-auth.ts); the row never holds it.
  if (row.oauth_token_url !== null) storedHeaders.authorization = MASKED_HEADER_VALUE;
  const timestampSeconds = Math.floor(now.getTime() / 1000);
  if (row.signature_scheme === 'standard_webhooks_ed25519') {
    const privateKeys = signingKeys(row, config.encryptionKey, now);
    const signature = signStandardWebhooksEd25519({ id: row.delivery_id, timestampSeconds, body, privateKeys });
    return { url, body, storedHeaders, sentHeaders: { ...headers, ...signature }, fallback: null };
  }
  const { current, previous } = signingSecrets(row, config.encryptionKey, now);
  const scheme = row.signature_scheme;
  if (!isHexScheme(scheme)) {
    // Standard Webhooks lists signatures space-separated and receivers accept any: both, current first.
    const secrets = previous === null ? [current] : [current, previous];
    const signature = signStandardWebhooks({ id: row.delivery_id, timestampSeconds, body, secrets });
    return { url, body, storedHeaders, sentHeaders: { ...headers, ...signature }, fallback: null };
  }
  const algorithm = scheme === 'hmac_sha1_hex' ? 'sha1' : 'sha256';
  const hexSigned = (secret: string) => ({
    ...headers,
    ...signHexHmac({ body, secrets: [secret], algorithm, ...(row.signature_header ? { header: row.signature_header } : {}) }),
  });
  if (previous === null) return { url, body, storedHeaders, sentHeaders: hexSigned(current), fallback: null };
  // First the secret the receiver accepted last (the new one until it refuses it), then the other.
  const previousFirst = row.receiver_holds_previous_secret;
  return {
    url,
    body,
    storedHeaders,
    sentHeaders: hexSigned(previousFirst ? previous : current),
    fallback: { sentHeaders: hexSigned(previousFirst ? current : previous), signedWithPrevious: !previousFirst },
  };
}
