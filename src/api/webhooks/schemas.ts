// What a destination receives, as zod schemas for the OpenAPI `webhooks` section: the envelope, the signature headers, built-in payloads.
import { AUTO_DISABLED_EVENT, TEST_EVENT_TYPE } from '../../domain/event-catalog';
import { DEFAULT_HEX_SIGNATURE_HEADER, DEFAULT_SHA1_SIGNATURE_HEADER, DEFAULT_TOLERANCE_SECONDS } from '../../domain/sign';
import { z } from '../http/openapi';

/** The default body (src/domain/envelope.ts); a destination with a body_template sends its own shape instead. */
export const webhookEnvelopeSchema = z
  .object({
    id: z.string().openapi({ description: 'The event id: the same for every destination and every retry.', example: 'evt_01JBR4Y8K9W6Q2M3N4P5R6S7T8' }),
    type: z.string().openapi({ description: 'The event type.', example: 'contact.created' }),
    timestamp: z.iso
      .datetime({ offset: true })
      .openapi({ description: 'When the event happened (its occurred_at, else when Hookline received it).', example: '2025-01-15T09:30:00.000Z' }),
    workspace_id: z.string().openapi({ example: 'ws_01JBR4Y8K9W6Q2M3N4P5R6S7T8' }),
    data: z.unknown().openapi({ description: 'The event data exactly as the producer posted it: any JSON value.' }),
  })
  .openapi('WebhookEnvelope', {
    description: 'The body of every delivery to a destination without a body_template. Key order is fixed: id, type, timestamp, workspace_id, data.',
  });

/*
 * Every scheme's headers are listed, none required: which ones a request carries depends on the destination's
 * signature_scheme, and OpenAPI cannot say "this set or that one".
 */
export const signatureHeadersSchema = z.object({
  'webhook-id': z.string().optional().openapi({
    description: 'Standard Webhooks (signature_scheme `standard_webhooks`, the default): the delivery id, stable across retries. Deduplicate on it.',
    example: 'dlv_5K2Q8N4M7R3T9W1X6Y0Z2A4B6C',
  }),
  'webhook-timestamp': z
    .string()
    .optional()
    .openapi({
      description: `Standard Webhooks: Unix seconds when this attempt was signed. Reject requests more than ${DEFAULT_TOLERANCE_SECONDS / 60} minutes from now.`,
      example: '1736933400',
    }),
  'webhook-signature': z
    .string()
    .optional()
    .openapi({
      description:
        'Standard Webhooks: `v1,<base64 HMAC-SHA256>` over `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed by the base64-decoded ' +
        'secret after `whsec_` (a secret without that prefix is used as UTF-8 text). With signature_scheme `standard_webhooks_ed25519`: ' +
        '`v1a,<base64 ed25519 signature>` over the same content, verified with the destination’s `whpk_` public_key. During a ' +
        'rotation two signatures, space-separated: accept either.',
      example: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    }),
  [DEFAULT_HEX_SIGNATURE_HEADER]: z
    .string()
    .optional()
    .openapi({
      description:
        'Hex scheme (signature_scheme `hmac_sha256_hex`; the header name is the destination’s signature_header): ' +
        '`sha256=<hex HMAC-SHA256 of the raw body>` keyed by the secret’s text, `whsec_` prefix included. ' +
        'Always one value: during a rotation’s grace period a request refused with 401 or 403 is sent again at once signed ' +
        'with the other secret, and the accepted secret signs first from then on.',
      example: 'sha256=5d41402abc4b2a76b9719d911017c592ae5c1b4f5d0c2bd1f0e5d4c3b2a19080',
    }),
  [DEFAULT_SHA1_SIGNATURE_HEADER]: z
    .string()
    .optional()
    .openapi({
      description:
        'SHA-1 hex scheme (signature_scheme `hmac_sha1_hex`; the header name is the destination’s signature_header): the bare ' +
        '`<hex HMAC-SHA1 of the raw body>` keyed by the secret’s text, as Segment’s and Customer.io’s webhooks send it; one value, ' +
        'rotated as the SHA-256 hex scheme is.',
      example: '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12',
    }),
});

export const testEventDataSchema = z.object({ message: z.string().openapi({ example: 'This is a test webhook from Hookline' }) }).openapi('WebhookTestData', {
  description: 'Sent by POST /v1/destinations/{id}/test and by the auto-recover probe, unless the workspace registered its own example.',
});

export const autoDisabledEventDataSchema = z
  .object({
    destination_id: z.string().openapi({ example: 'dst_01JH8Z6Q2W3E4R5T6Y7U8I9O0P' }),
    destination_name: z.string().openapi({ example: 'CRM sync' }),
    reason: z.string().nullable().openapi({ example: '10 consecutive failed deliveries (threshold 10); last error: receiver responded 503' }),
    consecutive_failures: z.number().int().openapi({ example: 10 }),
    disabled_at: z.iso.datetime().openapi({ example: '2025-04-10T17:45:00.000Z' }),
  })
  .openapi('WebhookAutoDisabledData', {
    description: 'Emitted when Hookline pauses a destination; delivered to the workspace’s other subscribed destinations, never to the paused one.',
  });

/** Data schemas Hookline fixes itself; every other type's data is the workspace's to define. */
export const BUILT_IN_DATA_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  [TEST_EVENT_TYPE]: testEventDataSchema,
  [AUTO_DISABLED_EVENT]: autoDisabledEventDataSchema,
};
