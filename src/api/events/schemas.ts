// The event's wire shapes: what ingestion accepts and answers, and an event read back with its deliveries.
import { isValidEventTypeName } from '../../domain/event-match';
import { deliverySummarySchema } from '../deliveries/schemas';
import { isoInstant } from '../http/fields';
import { z } from '../http/openapi';

export const eventInSchema = z
  .object({
    type: z.string().refine(isValidEventTypeName, 'must be a dotted lowercase name such as contact.created'),
    data: z.unknown().refine((value) => value !== undefined, 'is required (any JSON value)').openapi({ type: 'object' }),
    subject: z.string().min(1).max(256).nullable().optional().openapi({ description: 'The contact or visitor the event is about; `first_match` destinations key on it.' }),
    occurred_at: isoInstant().optional(),
  })
  .strict()
  .openapi('EventIn');

export const eventAcceptedSchema = z.object({ event_id: z.string() }).openapi('EventAccepted');

export const eventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    data: z.unknown(),
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
