// Test send: one event through the real workflows to one destination, a single attempt, answered with its outcome.
import { NotFoundError, RuleViolationError } from '../../domain/errors';
import { exampleData, TEST_EVENT_TYPE } from '../../domain/event-catalog';
import { assertEventTypeVisible } from '../../domain/portal-scope';
import { sendTestEvent } from '../../orchestration/test-send';
import { deliveryLastError } from '../../store/deliveries';
import { findDestination } from '../../store/destinations';
import { findEventType } from '../../store/event-types';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import type { RouteTable } from '../http/route';
import { destinationParams } from './schemas';

// The attempt's own deadline plus the room the worker has around it (the activity's start-to-close margin).
const WAIT_MARGIN_MS = 15_000;

const testSendSchema = z
  .object({
    event_type: z
      .string()
      .max(256)
      .optional()
      .openapi({ description: `A registered type whose example is sent; default ${TEST_EVENT_TYPE}.` }),
  })
  .strict()
  .openapi('TestSend');

const testResultSchema = z
  .object({
    ok: z.boolean().openapi({ description: 'True when the receiver answered 2xx.' }),
    delivery_id: z.string(),
    event_id: z.string(),
    status_code: z.number().int().nullable(),
    duration_ms: z.number().int().nullable(),
    response_excerpt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .openapi('TestSendResult');

export function registerDestinationTestRoutes(routes: RouteTable, { db, temporal, config, eagerStarts }: ApiDeps): void {
  routes.add({
    method: 'post',
    path: '/v1/destinations/:id/test',
    operationId: 'testDestination',
    summary: 'Send a test event (webhook.test or a type’s example) with a single attempt, even to a paused destination, and report the outcome',
    tag: 'Destinations',
    access: 'workspace',
    portal: 'write',
    scopedBy: 'destination',
    params: destinationParams,
    body: testSendSchema,
    responses: { 200: { description: 'The outcome of the single attempt', schema: testResultSchema } },
    errors: [422, 504],
    handler: async ({ params, body, workspaceId, scope }) => {
      const destination = await findDestination(db, workspaceId, params.id);
      const type = body.event_type ?? TEST_EVENT_TYPE;
      assertEventTypeVisible(scope, type);
      const registered = await findEventType(db, workspaceId, type);
      // webhook.test may have been replaced by the workspace: its built-in example stands in. Any other type must be registered.
      if (!registered && body.event_type !== undefined) {
        throw new RuleViolationError('unknown_event_type', `Event type ${body.event_type} is not registered in this workspace`, [
          { path: 'body.event_type', message: 'not registered' },
        ]);
      }
      const { eventId, outcome } = await sendTestEvent(
        { db, temporal, config, ...(eagerStarts ? { eagerStarts } : {}) },
        {
          workspaceId,
          type,
          data: exampleData(type, registered?.example),
          subject: null,
          occurredAt: null,
          idempotencyKey: null,
          test: { destinationId: destination.id },
        },
        new Date(),
        destination.timeout_seconds * 1000 + WAIT_MARGIN_MS,
      );
      // No outcome means nothing was planned: the destination was deleted between our read and the workflow's.
      if (!outcome) throw new NotFoundError('Destination');
      const attempt = outcome.lastAttempt;
      const ok = outcome.status === 'succeeded';
      // Without an attempt to hand back (e.g. cancelled), the row holds the reason.
      const error = attempt?.error ?? (ok ? null : ((await deliveryLastError(db, workspaceId, outcome.deliveryId)) ?? `delivery ${outcome.status}`));
      return {
        status: 200,
        body: {
          ok,
          delivery_id: outcome.deliveryId,
          event_id: eventId,
          status_code: attempt?.statusCode ?? null,
          duration_ms: attempt ? Math.round(attempt.durationMs) : null,
          response_excerpt: attempt?.responseExcerpt ?? null,
          error,
        },
      };
    },
  });
}
