// Render preview: the request a destination's templates would send for an event type's example, from the same renderer as deliveries.
import { HTTP_METHODS } from '../../domain/destination';
import { exampleData, TEST_EVENT_TYPE } from '../../domain/event-catalog';
import { assertEventTypeVisible } from '../../domain/portal-scope';
import { buildTemplateVariables, renderRequest, TemplateError } from '../../domain/render';
import { findEventType } from '../../store/event-types';
import { HOOKLINE_VERSION } from '../../version';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import type { RouteTable } from '../http/route';

// The example event's id and time: fixed, so a preview only changes when the templates or the example do.
const PREVIEW_EVENT_ID = 'evt_PREVIEW0000000000000000000';
const PREVIEW_TIME = '2025-01-15T09:30:00.000Z';

const previewSchema = z
  .strictObject({
    event_type: z
      .string()
      .max(256)
      .default(TEST_EVENT_TYPE)
      .openapi({ description: "Whose example payload fills the templates (the type's registered example)." }),
    name: z.string().max(200).default('Preview'),
    url: z.string().max(2_048),
    method: z.enum(HTTP_METHODS).default('POST'),
    headers: z.record(z.string().max(256), z.string().max(8_192)).default({}),
    query_params: z.record(z.string().max(256), z.string().max(8_192)).default({}),
    body_template: z.unknown().nullable().default(null),
  })
  .openapi('RenderPreviewRequest');

const previewResultSchema = z
  .object({
    ok: z.boolean(),
    method: z.string(),
    url: z.string().nullable(),
    headers: z.record(z.string(), z.string()).openapi({ description: 'Without the signature headers, which are computed when the request is sent.' }),
    body: z.string().nullable(),
    data: z.unknown().openapi({ description: 'The example payload the templates were rendered with.' }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .openapi('RenderPreview');

export function registerDestinationPreviewRoutes(routes: RouteTable, { db }: ApiDeps): void {
  routes.add({
    method: 'post',
    path: '/v1/destinations/render-preview',
    operationId: 'previewDestinationRender',
    summary: "Render a destination's URL, headers and body template against an event type's example, exactly as a delivery would",
    tag: 'Destinations',
    access: 'workspace',
    portal: 'read',
    body: previewSchema,
    responses: { 200: { description: 'The rendered request, or why the templates cannot render', schema: previewResultSchema } },
    handler: async ({ body, workspaceId, scope }) => {
      assertEventTypeVisible(scope, body.event_type);
      const registered = await findEventType(db, workspaceId, body.event_type);
      const data = exampleData(body.event_type, registered?.example);
      const vars = buildTemplateVariables({
        eventId: PREVIEW_EVENT_ID,
        eventType: body.event_type,
        occurredAt: PREVIEW_TIME,
        data,
        subject: null,
        workspaceId,
        destinationName: body.name,
      });
      try {
        const rendered = renderRequest(body, vars, `Hookline/${HOOKLINE_VERSION}`);
        return { status: 200, body: { ok: true, method: body.method, url: rendered.url, headers: rendered.headers, body: rendered.body, data, error: null } };
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        return {
          status: 200,
          body: { ok: false, method: body.method, url: null, headers: {}, body: null, data, error: { code: error.code, message: error.message } },
        };
      }
    },
  });
}
