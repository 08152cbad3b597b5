// The destination's wire shapes (create, patch, read, secret-bearing responses), one zod schema each.
import type { Destination } from '../../db/schema';
import { DESTINATION_STATUSES, destinationStatus, HTTP_METHODS, SIGNATURE_SCHEMES, TRIGGERS } from '../../domain/destination';
import { maskBasicAuth } from '../../domain/basic-auth';
import { maskClientTls } from '../../domain/client-tls';
import { maskOAuth } from '../../domain/oauth';
import { maskHeaderValues } from '../../domain/header-values';
import { ORDERINGS } from '../../domain/ordered-lanes';
import { MAX_COALESCE_SECONDS } from '../../domain/coalescing';
import { MIN_SECRET_LENGTH } from '../../domain/sign';
import {
  basicAuthAnswer,
  basicAuthInput,
  clientTlsAnswer,
  clientTlsInput,
  oauthAnswer,
  oauthInput,
  previousPublicKeyAnswer,
  publicKeyAnswer,
  secretField,
} from './auth-schemas';
import { settingsOf } from '../../store/destination-columns';
import { z } from '../http/openapi';

export const MAX_HEADERS = 50;
export const MAX_QUERY_PARAMS = 50;
export const MAX_EVENT_TYPES = 100;
export const MAX_ATTEMPTS_LIMIT = 20;

const stringMap = (max: number, what: string) =>
  z.record(z.string().min(1).max(256), z.string().max(8_192)).refine((map) => Object.keys(map).length <= max, { message: `at most ${max} ${what}` });

/** Writable fields, without defaults; create adds the defaults, PATCH takes any subset. */
const writable = {
  name: z.string().trim().min(1).max(200).openapi({ example: 'CRM sync' }),
  url: z
    .string()
    .trim()
    .min(1)
    .max(2_048)
    .openapi({ description: 'Absolute URL; path and query may hold `{{placeholders}}`.', example: 'https://example.com/hooks/{{event.type}}' }),
  method: z.enum(HTTP_METHODS),
  headers: stringMap(MAX_HEADERS, 'headers').openapi({ description: 'Values may hold `{{placeholders}}`.' }),
  query_params: stringMap(MAX_QUERY_PARAMS, 'query parameters').openapi({
    description: 'Appended to the URL; values may hold `{{placeholders}}`.',
  }),
  body_template: z.unknown().nullable().openapi({
    description: 'A JSON value whose strings may hold `{{placeholders}}`; null sends the default envelope {id, type, timestamp, workspace_id, data}.',
  }),
  timeout_seconds: z.number().int().min(1).max(30),
  enabled: z.boolean(),
  trigger: z.enum(TRIGGERS).openapi({ description: '`first_match` sends only the first matching event per subject.' }),
  filter: z
    .record(z.string(), z.unknown())
    .nullable()
    .openapi({ description: 'MongoDB-style query over the event envelope, e.g. {"data.segment_id": {"$in": ["seg_1"]}}.' }),
  max_attempts: z.number().int().min(1).max(MAX_ATTEMPTS_LIMIT),
  failure_threshold: z.number().int().min(1).max(1_000),
  auto_recover: z.boolean().openapi({
    description: 'When auto-disabled, probe with webhook.test on a growing schedule (1 min … 1 h) and re-enable after a success.',
  }),
  trace_context: z.boolean().openapi({
    description: "Send the W3C `traceparent` header, so the receiver's own tracing joins Hookline's trace (when Hookline traces).",
  }),
  signature_scheme: z.enum(SIGNATURE_SCHEMES).openapi({
    description:
      '`standard_webhooks` (default): `webhook-signature: v1,…`, HMAC-SHA256 with the secret. `standard_webhooks_ed25519`: `v1a,…`, ed25519 with a key pair made for the destination; receivers verify with `public_key` and hold no secret. `hmac_sha256_hex`: `sha256=<hex>` of the body in `signature_header`. `hmac_sha1_hex`: bare hex HMAC-SHA1 of the body in `signature_header` (default X-Signature), as Segment and Customer.io send.',
  }),
  signature_header: z.string().min(1).max(100).nullable().openapi({
    description:
      'Only for the hex schemes: hmac_sha256_hex (default X-Webhook-Signature) and hmac_sha1_hex (default X-Signature); Standard Webhooks uses its own headers.',
  }),
  event_types: z
    .array(z.string().min(1).max(200))
    .max(MAX_EVENT_TYPES)
    .openapi({ description: 'Subscribed event types: exact names or wildcards (`contact.*`, `*`). Empty receives nothing.', example: ['contact.*'] }),
  rate_limit: z
    .strictObject({
      requests: z.number().int().min(1).max(100_000),
      per_seconds: z.number().int().min(1).max(3_600),
      burst: z
        .number()
        .int()
        .min(0)
        .max(1_000)
        .default(0)
        .openapi({ description: 'Requests beyond the rate allowed at once after a quiet spell (default 0).' }),
    })
    .nullable()
    .openapi('RateLimit', {
      description:
        'At most `requests` per `per_seconds` across every worker, plus `burst`. Deliveries over it wait for their turn as `queued`, using no attempt; null: no limit.',
      example: { requests: 10, per_seconds: 1, burst: 0 },
    }),
  max_concurrent_requests: z
    .number()
    .int()
    .min(1)
    .max(1_000)
    .nullable()
    .openapi({ description: 'At most this many requests open at once across every worker; the others wait as `queued`. Null: no cap.', example: 4 }),
  ordering: z.enum(ORDERINGS).openapi({
    description:
      "`subject`: each subject's events are delivered one at a time, in the order they were accepted: a later one waits as `queued` (reason `ordering`) until the earlier one succeeded or failed for good. Events without a subject are not ordered. `none` (default): every delivery goes as soon as it can.",
    example: 'subject',
  }),
  coalesce_seconds: z.number().int().min(1).max(MAX_COALESCE_SECONDS).nullable().openapi({
    description:
      'Needs `ordering: "subject"`. A subject\'s events within this many seconds of the first unsent one are one request: the newest goes when the window closes, the older ones end as `superseded`, unsent. Null (default): every event is sent.',
    example: 5,
  }),
  basic_auth: basicAuthInput,
  oauth: oauthInput,
  client_tls: clientTlsInput,
};

export const createDestinationSchema = z
  .strictObject({
    name: writable.name,
    url: writable.url,
    method: writable.method.default('POST'),
    headers: writable.headers.default({}),
    query_params: writable.query_params.default({}),
    body_template: writable.body_template.default(null),
    timeout_seconds: writable.timeout_seconds.default(10),
    enabled: writable.enabled.default(true),
    trigger: writable.trigger.default('every_update'),
    filter: writable.filter.default(null),
    max_attempts: writable.max_attempts.optional().openapi({ description: 'Default: one more than the configured retry schedule (8).' }),
    failure_threshold: writable.failure_threshold.default(10),
    auto_recover: writable.auto_recover.default(false),
    trace_context: writable.trace_context.default(true),
    signature_scheme: writable.signature_scheme.default('standard_webhooks'),
    signature_header: writable.signature_header.default(null),
    event_types: writable.event_types.default([]),
    rate_limit: writable.rate_limit.default(null),
    max_concurrent_requests: writable.max_concurrent_requests.default(null),
    ordering: writable.ordering.default('none'),
    coalesce_seconds: writable.coalesce_seconds.default(null),
    basic_auth: writable.basic_auth.default(null),
    oauth: writable.oauth.default(null),
    client_tls: writable.client_tls.default(null),
    secret: secretField()
      .optional()
      .openapi({ description: `Your own signing secret (${MIN_SECRET_LENGTH}+ characters); generated when omitted.` }),
  })
  .openapi('CreateDestination');

export const updateDestinationSchema = z
  .strictObject({
    name: writable.name.optional(),
    url: writable.url.optional(),
    method: writable.method.optional(),
    headers: writable.headers.optional(),
    query_params: writable.query_params.optional(),
    body_template: writable.body_template.optional(),
    timeout_seconds: writable.timeout_seconds.optional(),
    enabled: writable.enabled.optional().openapi({ description: '`true` also re-enables an auto-disabled destination.' }),
    trigger: writable.trigger.optional(),
    filter: writable.filter.optional(),
    max_attempts: writable.max_attempts.optional(),
    failure_threshold: writable.failure_threshold.optional(),
    auto_recover: writable.auto_recover.optional(),
    trace_context: writable.trace_context.optional(),
    signature_scheme: writable.signature_scheme.optional(),
    signature_header: writable.signature_header.optional(),
    event_types: writable.event_types.optional(),
    rate_limit: writable.rate_limit.optional(),
    max_concurrent_requests: writable.max_concurrent_requests.optional(),
    ordering: writable.ordering.optional(),
    coalesce_seconds: writable.coalesce_seconds.optional(),
    basic_auth: writable.basic_auth.optional(),
    oauth: writable.oauth.optional(),
    client_tls: writable.client_tls.optional(),
  })
  .openapi('UpdateDestination');

export const destinationSchema = z
  .object({
    id: z.string().openapi({ example: 'dst_01JBR4Y8K9W6Q2M3N4P5R6S7T8' }),
    name: z.string(),
    url: z.string(),
    method: z.enum(HTTP_METHODS),
    headers: z.record(z.string(), z.string()),
    query_params: z.record(z.string(), z.string()),
    body_template: z.unknown().nullable(),
    timeout_seconds: z.number().int(),
    enabled: z.boolean(),
    status: z.enum(DESTINATION_STATUSES).openapi({ description: 'Read-only: inactive (enabled=false), auto_disabled (paused by health), else active.' }),
    trigger: z.enum(TRIGGERS),
    filter: z.record(z.string(), z.unknown()).nullable(),
    max_attempts: z.number().int(),
    failure_threshold: z.number().int(),
    auto_recover: z.boolean(),
    trace_context: z.boolean(),
    signature_scheme: z.enum(SIGNATURE_SCHEMES),
    signature_header: z.string().nullable(),
    event_types: z.array(z.string()),
    rate_limit: z.object({ requests: z.number().int(), per_seconds: z.number().int(), burst: z.number().int() }).nullable(),
    max_concurrent_requests: z.number().int().nullable(),
    ordering: z.enum(ORDERINGS),
    coalesce_seconds: z.number().int().nullable(),
    basic_auth: basicAuthAnswer,
    oauth: oauthAnswer,
    client_tls: clientTlsAnswer,
    public_key: publicKeyAnswer,
    previous_public_key: previousPublicKeyAnswer,
    throttle: z
      .object({
        until: z.iso.datetime(),
        reason: z.string().openapi({ example: 'HTTP 429 with Retry-After: every delivery waits 30 s' }),
      })
      .nullable()
      .openapi({ description: 'Read-only: the receiver pushed back (429, or 503 with Retry-After); every delivery waits or goes slower until then.' }),
    auto_disabled_at: z.iso.datetime().nullable(),
    auto_disabled_reason: z.string().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi('Destination');

export const destinationCreatedSchema = destinationSchema
  .extend({ secret: z.string().openapi({ description: 'The signing secret. Shown only in this response: store it now.' }) })
  .openapi('DestinationCreated');

export const secretRotatedSchema = destinationCreatedSchema
  .extend({
    previous_secret_expires_at: z.iso
      .datetime()
      .nullable()
      .openapi({ description: 'Until then deliveries are signed with both secrets; null when the old one was retired at once.' }),
  })
  .openapi('SecretRotated');

export const destinationParams = z.object({ id: z.string().openapi({ example: 'dst_01JBR4Y8K9W6Q2M3N4P5R6S7T8' }) });

export const subscriptionsSchema = z.object({ event_types: writable.event_types }).openapi('Subscriptions');

/** The receiver's push-back while it lasts. */
function throttleOf(row: Destination, now: Date) {
  if (row.throttled_until === null || row.throttled_until.getTime() <= now.getTime()) return null;
  return { until: row.throttled_until.toISOString(), reason: row.throttle_reason ?? 'the receiver pushed back' };
}

/** The key a rotation replaced, while it still signs. */
function previousPublicKeyOf(row: Destination, now: Date) {
  const expires = row.previous_signing_key_expires_at;
  if (row.previous_public_key === null || expires === null || expires.getTime() <= now.getTime()) return null;
  return { public_key: row.previous_public_key, expires_at: expires.toISOString() };
}

/** The public JSON of a destination: its settings and status, never the sealed secrets, counters or deletion marker. */
export function toDestinationJson(row: Destination, eventTypes: string[]) {
  const settings = settingsOf(row, eventTypes);
  return {
    id: row.id,
    ...settings,
    // Names kept, values never shown again: they are credentials, sealed at rest.
    headers: maskHeaderValues(row.headers),
    basic_auth: maskBasicAuth(settings.basic_auth),
    oauth: maskOAuth(settings.oauth),
    client_tls: maskClientTls(settings.client_tls),
    public_key: row.public_key,
    previous_public_key: previousPublicKeyOf(row, new Date()),
    status: destinationStatus(row),
    throttle: throttleOf(row, new Date()),
    auto_disabled_at: row.auto_disabled_at?.toISOString() ?? null,
    auto_disabled_reason: row.auto_disabled_reason,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
