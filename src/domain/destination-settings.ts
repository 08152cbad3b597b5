// The rules a destination's settings must satisfy before they are stored; each broken rule has its own code.
import { isHexScheme, type DestinationTrigger, type HttpMethod, type SignatureScheme } from './destination';
import { checkBasicAuth, type BasicAuth } from './basic-auth';
import type { ClientTls } from './client-tls';
import { checkOAuth, type OAuthSettings } from './oauth';
import { RuleViolationError } from './errors';
import type { DestinationOrdering } from './ordered-lanes';
import { isValidEventTypeName, isValidEventTypePattern, validateFilter } from './event-match';
import { headerValueProblem, validateBodyTemplate, validateTextTemplate } from './render';
import { DEFAULT_HEX_SIGNATURE_HEADER, DEFAULT_SHA1_SIGNATURE_HEADER } from './sign';
import { checkDestinationUrl } from './url-safety';

/** Everything a person can set on a destination, after defaults (create) or merging (PATCH). */
export interface DestinationSettings {
  name: string;
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  query_params: Record<string, string>;
  body_template: unknown;
  timeout_seconds: number;
  enabled: boolean;
  trigger: DestinationTrigger;
  filter: Record<string, unknown> | null;
  max_attempts: number;
  failure_threshold: number;
  auto_recover: boolean;
  /** Send W3C `traceparent` with each request, so a receiver that traces joins Hookline's trace. */
  trace_context: boolean;
  signature_scheme: SignatureScheme;
  signature_header: string | null;
  event_types: string[];
  /** At most `requests` per `per_seconds` across the cluster, and `burst` more after a quiet spell; null: no limit. */
  rate_limit: { requests: number; per_seconds: number; burst: number } | null;
  /** At most this many requests open at once across the cluster; null: no cap. */
  max_concurrent_requests: number | null;
  /** 'subject': each subject's deliveries one at a time, in the order of acceptance (domain/ordered-lanes.ts). */
  ordering: DestinationOrdering;
  /** With ordering 'subject': a subject's burst within this many seconds is one request, the newest (domain/coalescing.ts). */
  coalesce_seconds: number | null;
  /** Sent as `Authorization: Basic …` with every request; the password sealed at rest (domain/basic-auth.ts). */
  basic_auth: BasicAuth | null;
  /** OAuth 2.0 client credentials: a token fetched (and shared) for the destination, sent as `Authorization: Bearer …`. */
  oauth: OAuthSettings | null;
  /** Mutual TLS: the client certificate Hookline presents, and the CA it trusts, for this receiver (domain/client-tls.ts). */
  client_tls: ClientTls | null;
}

export interface UrlPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
  /** Origins that reach this API (other names of this machine resolved by the caller); a destination there would deliver webhooks to ourselves. */
  selfOrigins: string[];
}

const MAX_BODY_TEMPLATE_BYTES = 64 * 1024;

// RFC 9110 token characters: what a header field name may consist of.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/*
 * Headers a destination may not set: the ones Hookline signs with (a custom value would break or forge
 * verification), and framing / hop-by-hop ones the HTTP client must own. Content-Type and User-Agent
 * stay settable: receivers sometimes need a vendor content type or allow-list a user agent.
 */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
]);

function invalid(code: string, path: string, message: string): RuleViolationError {
  return new RuleViolationError(code, message, [{ path, message }]);
}

/** Coalescing keeps a subject's newest event, so it needs the subject's lane: only an ordered destination has one. */
function checkCoalescing(settings: DestinationSettings): void {
  if (settings.coalesce_seconds !== null && settings.ordering !== 'subject') {
    throw invalid('coalescing_needs_ordering', 'coalesce_seconds', 'coalesce_seconds needs "ordering": "subject": it keeps the newest event of each subject');
  }
}

/** The header a hex scheme signs into; Standard Webhooks always uses its own three. */
export function effectiveSignatureHeader(scheme: SignatureScheme, header: string | null): string | null {
  if (scheme === 'hmac_sha256_hex') return header ?? DEFAULT_HEX_SIGNATURE_HEADER;
  if (scheme === 'hmac_sha1_hex') return header ?? DEFAULT_SHA1_SIGNATURE_HEADER;
  return null;
}

function checkSignatureHeader(settings: DestinationSettings): void {
  const header = settings.signature_header;
  if (header === null) return;
  if (!isHexScheme(settings.signature_scheme)) {
    throw invalid('invalid_signature_header', 'body.signature_header', 'signature_header applies only to the hex schemes (hmac_sha256_hex, hmac_sha1_hex)');
  }
  if (!HEADER_NAME.test(header) || RESERVED_HEADERS.has(header.toLowerCase())) {
    throw invalid(
      'invalid_signature_header',
      'body.signature_header',
      `"${header}" cannot carry the signature: use a plain header name such as X-Webhook-Signature`,
    );
  }
}

/** One source of the Authorization header: a custom one beside Basic auth or OAuth would leave which one is sent to chance. */
function checkAuthorization(settings: DestinationSettings): void {
  checkBasicAuth(settings.basic_auth);
  checkOAuth(settings.oauth);
  if (settings.basic_auth !== null && settings.oauth !== null) {
    throw invalid('conflicting_authorization', 'body.oauth', 'basic_auth and oauth both set the Authorization header: keep one');
  }
  const setting = settings.basic_auth !== null ? 'basic_auth' : settings.oauth !== null ? 'oauth' : null;
  if (setting === null) return;
  const custom = Object.keys(settings.headers).find((name) => name.toLowerCase() === 'authorization');
  if (custom !== undefined) {
    throw invalid('conflicting_authorization', `body.headers.${custom}`, `${setting} sets the Authorization header: remove the custom one`);
  }
}

/** A client certificate is presented in a TLS handshake: a plain-HTTP URL would never send it. */
function checkClientTlsUrl(settings: DestinationSettings): void {
  if (settings.client_tls !== null && URL.canParse(settings.url) && new URL(settings.url).protocol !== 'https:') {
    throw invalid('invalid_client_tls', 'body.client_tls', 'a client certificate is presented over TLS only: use an https URL');
  }
}

function checkHeaders(settings: DestinationSettings): void {
  const signatureHeader = effectiveSignatureHeader(settings.signature_scheme, settings.signature_header)?.toLowerCase();
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(settings.headers)) {
    const path = `body.headers.${name}`;
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) throw invalid('invalid_header', path, `"${name}" is not a valid HTTP header name`);
    if (RESERVED_HEADERS.has(lower) || lower === signatureHeader) {
      throw invalid('reserved_header', path, `header ${name} is set by Hookline and cannot be configured`);
    }
    if (seen.has(lower)) throw invalid('invalid_header', path, `header ${name} is given twice (names are case-insensitive)`);
    seen.add(lower);
    if (/[\r\n\0]/.test(value)) throw invalid('invalid_header', path, `header ${name} contains a line break or NUL`);
    const unsendable = headerValueProblem(value);
    if (unsendable) throw invalid('invalid_header', path, `header ${name} ${unsendable}`);
    const problem = validateTextTemplate(value);
    if (problem !== null) throw invalid('invalid_template', path, `header ${name}: ${problem}`);
  }
}

function checkTemplates(settings: DestinationSettings): void {
  const urlProblem = validateTextTemplate(settings.url);
  if (urlProblem !== null) throw invalid('invalid_template', 'body.url', `url: ${urlProblem}`);
  for (const [name, value] of Object.entries(settings.query_params)) {
    const problem = validateTextTemplate(value);
    if (problem !== null) throw invalid('invalid_template', `body.query_params.${name}`, `query parameter ${name}: ${problem}`);
  }
  if (settings.body_template === null || settings.body_template === undefined) return;
  const bodyProblem = validateBodyTemplate(settings.body_template);
  if (bodyProblem !== null) throw invalid('invalid_template', 'body.body_template', `body_template: ${bodyProblem}`);
  if (Buffer.byteLength(JSON.stringify(settings.body_template)) > MAX_BODY_TEMPLATE_BYTES) {
    throw invalid('invalid_template', 'body.body_template', `body_template is larger than ${MAX_BODY_TEMPLATE_BYTES} bytes`);
  }
}

function checkFilter(filter: Record<string, unknown> | null): void {
  if (filter === null) return;
  const result = validateFilter(filter);
  if (!result.ok) {
    // The domain reports a JSON Pointer because filter keys themselves contain dots (`data.segment_id`).
    const where = result.path ? ` at ${result.path}` : '';
    throw invalid('invalid_filter', `body.filter${result.path ?? ''}`, `filter${where}: ${result.message}`);
  }
}

/** Each entry must be a name or a wildcard pattern; it is a set, so duplicates collapse and it comes back sorted. */
export function checkEventTypes(eventTypes: string[]): string[] {
  eventTypes.forEach((entry, index) => {
    if (!isValidEventTypeName(entry) && !isValidEventTypePattern(entry)) {
      throw invalid(
        'invalid_event_type',
        `body.event_types.${index}`,
        `"${entry}" is neither an event type name (contact.created) nor a wildcard (contact.*, *)`,
      );
    }
  });
  return [...new Set(eventTypes)].sort();
}

export function checkUrl(url: string, policy: UrlPolicy, path = 'body.url'): void {
  const result = checkDestinationUrl(url, policy);
  if (!result.ok) throw invalid(result.code, path, result.message);
}

/**
 * All rules on a complete set of settings. The URL check is the only one that depends on the deployment
 * (allow-http / allow-private), so PATCH runs it only when the URL itself changes: editing a name must not
 * fail because the operator tightened the policy after the destination was made.
 */
export function checkDestinationSettings(
  settings: DestinationSettings,
  options: { urlPolicy: UrlPolicy | null; tokenUrlPolicy?: UrlPolicy | null },
): DestinationSettings {
  checkTemplates(settings);
  if (options.urlPolicy) checkUrl(settings.url, options.urlPolicy);
  // The token endpoint is fetched by the workers too: the same SSRF policy as the destination's own URL.
  if (options.tokenUrlPolicy && settings.oauth) checkUrl(settings.oauth.token_url, options.tokenUrlPolicy, 'body.oauth.token_url');
  checkSignatureHeader(settings);
  checkHeaders(settings);
  checkAuthorization(settings);
  checkClientTlsUrl(settings);
  checkFilter(settings.filter);
  checkCoalescing(settings);
  return { ...settings, event_types: checkEventTypes(settings.event_types) };
}
