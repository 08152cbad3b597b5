// Prepares one attempt's request from its context: rendered URL, headers and body, and the signature over them.
import type { Config } from '../config/config';
import { buildTemplateVariables, renderRequest } from '../domain/render';
import { openSecret } from '../domain/secret-box';
import { signHexHmac, signStandardWebhooks } from '../domain/sign';
import type { AttemptContext } from '../store/deliveries';
import { HOOKLINE_VERSION } from '../version';
import { MASKED_HEADER_VALUE, openHeaderValues } from '../domain/header-values';

export interface PreparedRequest {
  url: string;
  body: string;
  /** What the attempt row keeps: without signature headers, so a stored request cannot help forge one. */
  storedHeaders: Record<string, string>;
  sentHeaders: Record<string, string>;
}

function signingSecrets(row: AttemptContext, key: Buffer, now: Date): string[] {
  const secrets = [openSecret(row.secret_sealed, key)];
  // During a rotation's grace period receivers may still hold the old secret: sign with both.
  if (row.previous_secret_sealed && row.previous_secret_expires_at && row.previous_secret_expires_at > now) {
    secrets.push(openSecret(row.previous_secret_sealed, key));
  }
  return secrets;
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
  const secrets = signingSecrets(row, config.encryptionKey, now);
  const signature =
    row.signature_scheme === 'hmac_sha256_hex'
      ? signHexHmac({ body, secrets, ...(row.signature_header ? { header: row.signature_header } : {}) })
      : signStandardWebhooks({ id: row.delivery_id, timestampSeconds: Math.floor(now.getTime() / 1000), body, secrets });
  // The attempt row keeps the destination's own header names, never their values (credentials).
  const storedHeaders = { ...headers };
  for (const name of Object.keys(row.headers)) storedHeaders[name.toLowerCase()] = MASKED_HEADER_VALUE;
  return { url, body, storedHeaders, sentHeaders: { ...headers, ...signature } };
}
