// The JSON shapes of deliveries and attempts, the history's query, and how rows become them.
import type { Attempt, Delivery } from '../../db/schema';
import { maskHeaders, maskUrl } from '../../domain/credential-mask';
import { DELIVERY_STATUSES } from '../../domain/delivery';
import { PAYLOAD_STATES } from '../../domain/retention';
import { QUEUE_REASONS, queueReasonOf } from '../../domain/delivery-control';
import { isoInstant } from '../http/fields';
import { z } from '../http/openapi';
import { paginationQuery } from '../http/pagination';

export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);

const isoTime = (description: string) => isoInstant().optional().openapi({ description });

export const deliveryListQuery = paginationQuery.extend({
  destination_id: z.string().max(64).optional().openapi({ description: 'Only deliveries to this destination.' }),
  event_id: z.string().max(64).optional().openapi({ description: 'Only deliveries of this event.' }),
  status: deliveryStatusSchema.optional().openapi({ description: 'Only deliveries in this status.' }),
  event_type: z.string().max(256).optional().openapi({ description: 'Only deliveries of this exact event type.' }),
  since: isoTime('Only deliveries created at or after this time (inclusive).'),
  until: isoTime('Only deliveries created before this time (exclusive).'),
  is_test: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .openapi({ description: 'true: only test sends; false: only real deliveries; omit for both.' }),
});

export const deliveryParams = z.object({ id: z.string().openapi({ example: 'dlv_5K2Q8N4M7R3T9W1X6Y0Z2A4B6C' }) });

export const retryAcceptedSchema = z
  .object({
    delivery_id: z.string(),
    workflow_id: z.string().openapi({ description: 'The delivery workflow that received the retry signal (or was started by it).' }),
  })
  .openapi('DeliveryRetryAccepted');

export const deliverySummarySchema = z
  .object({
    id: z.string(),
    event_id: z.string(),
    destination_id: z.string(),
    event_type: z.string(),
    status: deliveryStatusSchema,
    attempt_count: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    next_attempt_at: z.date().nullable().openapi({ description: 'When the next try is due; for a queued delivery, when its turn comes.' }),
    queue_reason: z.enum(QUEUE_REASONS).nullable().openapi({
      description:
        "While queued: waiting for the destination's rate limit, its concurrency cap, the receiver's push-back (throttled), or an earlier delivery of the same subject (ordering; `next_attempt_at` is null: its turn comes when that one is done).",
    }),
    workflow_id: z.string(),
    is_test: z.boolean(),
    created_at: z.date(),
    updated_at: z.date(),
    completed_at: z.date().nullable(),
  })
  .openapi('DeliverySummary');

export const attemptSchema = z
  .object({
    attempt_number: z.number().int(),
    started_at: z.date(),
    duration_ms: z.number().int(),
    request: z
      .object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()) })
      .openapi({ description: 'As sent, without signature headers; credential-like header and query values are masked.' }),
    response: z.object({ status: z.number().int(), headers: z.record(z.string(), z.string()), body_excerpt: z.string().nullable() }).nullable(),
    error: z.object({ class: z.string().nullable(), message: z.string() }).nullable(),
  })
  .openapi('Attempt');

export const payloadStateSchema = z.enum(PAYLOAD_STATES).openapi({
  description:
    "`kept`; `expired`: past the workspace's payload window, the event's data and the attempts' bodies, headers and URL paths are gone, the record stays; `erased`: removed at the subject's request.",
});

export const deliverySchema = deliverySummarySchema.extend({ payload: payloadStateSchema, attempts: z.array(attemptSchema) }).openapi('Delivery');

export function toDeliverySummary(row: Delivery): z.infer<typeof deliverySummarySchema> {
  return {
    id: row.id,
    event_id: row.event_id,
    destination_id: row.destination_id,
    event_type: row.event_type,
    status: row.status,
    attempt_count: row.attempt_count,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    next_attempt_at: row.next_attempt_at,
    queue_reason: row.status === 'queued' ? queueReasonOf(row.queue_reason) : null,
    workflow_id: row.workflow_id,
    is_test: row.is_test,
    created_at: row.created_at,
    updated_at: row.updated_at,
    completed_at: row.completed_at,
  };
}

export function toAttempt(row: Attempt): z.infer<typeof attemptSchema> {
  return {
    attempt_number: row.attempt_number,
    started_at: row.started_at,
    duration_ms: row.duration_ms,
    request: { method: row.request_method, url: maskUrl(row.request_url), headers: maskHeaders(row.request_headers) },
    response: row.response_status === null ? null : { status: row.response_status, headers: row.response_headers ?? {}, body_excerpt: row.response_excerpt },
    error: row.error_message === null ? null : { class: row.error_class, message: row.error_message },
  };
}
