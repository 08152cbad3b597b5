// Prepares one attempt's request from its context: rendered URL, headers and body, and the signature over them.
import type { Config } from '../config/config';
import { buildTemplateVariables, renderRequest } from '../domain/render';
import { openSecret } from '../domain/secret-box';
import { signHexHmac, signStandardWebhooks } from '../domain/sign';
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

function signingSecrets(row: AttemptContext, key: Buffer, now: Date): { current: string; previous: string | null } {
  // During a rotation's grace period receivers may still hold the old secret.
  const inGrace = row.previous_secret_sealed && row.previous_secret_expires_at && row.previous_secret_expires_at > now;
  return { current: openSecret(row.secret_sealed, key), previous: inGrace ? openSecret(row.previous_secret_sealed!, key) : null };
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
  const { url, headers, body } = renderRequest(template, vars, `Hookline/${HOOKLINE_VERSION}`, config.delivery.maxRequestBytes);
  const { current, previous } = signingSecrets(row, config.encryptionKey, now);
  // The attempt row keeps the destination's own header names, never their values (credentials).
  const storedHeaders = { ...headers };
  for (const name of Object.keys(row.headers)) storedHeaders[name.toLowerCase()] = MASKED_HEADER_VALUE;
  if (row.signature_scheme !== 'hmac_sha256_hex') {
    // Standard Webhooks lists signatures space-separated and receivers accept any: both, current first.
    const secrets = previous === null ? [current] : [current, previous];
    const signature = signStandardWebhooks({ id: row.delivery_id, timestampSeconds: Math.floor(now.getTime() / 1000), body, secrets });
    return { url, body, storedHeaders, sentHeaders: { ...headers, ...signature }, fallback: null };
  }
  const hexSigned = (secret: string) => ({
    ...headers,
    ...signHexHmac({ body, secrets: [secret], ...(row.signature_header ? { header: row.signature_header } : {}) }),
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
