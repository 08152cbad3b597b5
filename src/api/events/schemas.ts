// The event's wire shapes: what ingestion accepts and answers, and an event read back with its deliveries.
import { isValidEventTypeName } from '../../domain/event-match';
import { deliverySummarySchema, payloadStateSchema } from '../deliveries/schemas';
import { isoInstant } from '../http/fields';
import { z } from '../http/openapi';

/** 1–255 visible ASCII characters; the events router checks it (with its own error code) before ingesting. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const ingestHeadersSchema = z.object({
  'Idempotency-Key': z
    .string()
    .regex(IDEMPOTENCY_KEY)
    .optional()
    .openapi({
      description:
        'Makes retries safe: the same key in the same workspace always yields the same event_id and creates nothing new. ' + '1–255 visible ASCII characters.',
      example: 'order-1842-created',
    }),
});

/** A response header, documented only: present (`true`) when the answer replays an earlier request with the same key. */
export const ingestReplayHeaders = {
  'Idempotent-Replayed': {
    description: 'Present, with the value `true`, when this answer replays an earlier request with the same Idempotency-Key.',
    required: false,
    schema: { type: 'string' as const, enum: ['true'], example: 'true' },
  },
};

export const eventInSchema = z
  .object({
    type: z
      .string()
      .refine(isValidEventTypeName, 'must be a dotted lowercase name such as contact.created')
      .openapi({ description: 'A dotted lowercase name; a registered type with a JSON Schema is validated against it.', example: 'contact.created' }),
    data: z
      .unknown()
      .refine((value) => value !== undefined, 'is required (any JSON value)')
      .openapi({
        description: 'Any JSON value: an object, an array, a string, a number, a boolean or null.',
        example: { id: 'c_42', email: 'ada@example.com' },
      }),
    subject: z.string().min(1).max(256).nullable().optional().openapi({
      description:
        "The contact or visitor the event is about: `first_match` destinations key on it, and ordered destinations deliver each subject's events in order.",
      example: 'c_42',
    }),
    occurred_at: isoInstant().optional().openapi({ description: 'When it happened; default: when Hookline received it.' }),
  })
  .strict()
  .openapi('EventIn');

export const eventAcceptedSchema = z.object({ event_id: z.string().openapi({ example: 'evt_01JBR4Y8K9W6Q2M3N4P5R6S7T8' }) }).openapi('EventAccepted');

export const eventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    data: z.unknown().openapi({ description: 'Null once the payload expired or was erased (`payload`).' }),
    payload: payloadStateSchema,
    subject: z.string().nullable(),
    occurred_at: z.date(),
    received_at: z.date(),
    is_test: z.boolean(),
    workflow_id: z.string(),
    status: z.enum(['accepted', 'rejected']).openapi({ description: 'rejected: planning refused the event for good; it has no deliveries.' }),
    rejected_reason: z.string().nullable(),
    deliveries: z.array(deliverySummarySchema),
  })
  .openapi('Event');
