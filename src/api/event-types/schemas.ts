// The event type's wire shapes (read, replace), its path parameter, and how a row becomes one.
import type { EventType } from '../../db/schema';
import { z } from '../http/openapi';

export const eventTypeSchema = z
  .object({
    name: z.string().openapi({ example: 'contact.created' }),
    description: z.string(),
    schema: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'JSON Schema (2020-12 by default, or draft-07 via $schema) that event data must match.' }),
    example: z.unknown().nullable().openapi({ description: 'A sample `data` payload, used by test deliveries.' }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi('EventType');

export const putEventTypeSchema = z
  .strictObject({
    description: z.string().max(2_000).default(''),
    schema: z.record(z.string(), z.unknown()).nullable().default(null),
    example: z.unknown().optional(),
  })
  .openapi('PutEventType', {
    description: 'Replaces the type: fields left out are reset (description to "", schema and example to null).',
  });

export const nameParams = z.object({ name: z.string().openapi({ example: 'contact.created' }) });

export function toEventTypeJson(row: EventType) {
  return {
    name: row.name,
    description: row.description,
    schema: row.schema,
    example: row.example ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
