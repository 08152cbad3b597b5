// The portal's wire shapes: a session request, an issued session, and the workspace's embedding setting.
import type { PortalSession } from '../../db/schema';
import { MAX_FRAME_ANCESTORS } from '../../domain/frame-ancestors';
import { z } from '../http/openapi';

export const MIN_SESSION_SECONDS = 1;
export const MAX_SESSION_SECONDS = 24 * 3600;

export const createPortalSessionSchema = z
  .strictObject({
    expires_in_seconds: z
      .number()
      .int()
      .min(MIN_SESSION_SECONDS)
      .max(MAX_SESSION_SECONDS)
      .default(3600)
      .openapi({ description: 'How long the session lasts, up to 24 h (default 1 h).' }),
    destination_ids: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'Narrow the session to these destinations; omitted, it sees every destination and may create new ones.' }),
    event_types: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'Narrow the catalog, the history and what may be subscribed to these event types (webhook.test stays visible).' }),
    read_only: z.boolean().default(false).openapi({ description: 'See everything in scope, change nothing (no edits, tests or retries).' }),
  })
  .openapi('CreatePortalSession');

const sessionFields = {
  id: z.string().openapi({ example: 'ps_01JBR4Y8K9W6Q2M3N4P5R6S7T8' }),
  destination_ids: z.array(z.string()).nullable(),
  event_types: z.array(z.string()).nullable(),
  read_only: z.boolean(),
  expires_at: z.iso.datetime(),
  created_at: z.iso.datetime(),
};

export const portalSessionSchema = z.object(sessionFields).openapi('PortalSession');

export const portalSessionCreatedSchema = z
  .object({
    ...sessionFields,
    token: z.string().openapi({ description: 'The bearer token the portal calls the API with (a JWT). Shown only in this response.' }),
    url: z.string().openapi({ description: 'Open this in an iframe or a link for your customer: /console/portal?token=…' }),
  })
  .openapi('PortalSessionCreated');

export const portalSessionParams = z.object({ id: z.string().openapi({ example: 'ps_01JBR4Y8K9W6Q2M3N4P5R6S7T8' }) });

export const portalSettingsSchema = z
  .object({
    frame_ancestors: z
      .array(z.string().max(300))
      .max(MAX_FRAME_ANCESTORS)
      .openapi({ description: 'Origins allowed to embed the portal in an iframe (CSP frame-ancestors), e.g. https://app.example.com. Empty: none.' }),
  })
  .openapi('PortalSettings');

export function toPortalSessionJson(row: PortalSession) {
  return {
    id: row.id,
    destination_ids: row.destination_ids,
    event_types: row.event_types,
    read_only: row.read_only,
    expires_at: row.expires_at.toISOString(),
    created_at: row.created_at.toISOString(),
  };
}
