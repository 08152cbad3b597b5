// Test send: one event through the real workflows to one destination, a single attempt, answered with its outcome.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connect';
import { startEvent } from '../orchestration/start-event';
import type { EventWorkflowResult } from '../workflows/contracts';
import type { ApiDeps } from './deps';
import { destinationParams } from './destination.schemas';
import { findDestination } from './destination-store';
import { ApiError } from './errors';
import { DEFAULT_EVENT_TYPES } from './event-types.seed';
import { z } from './openapi';
import type { RouteTable } from './route';

const TEST_EVENT_TYPE = 'webhook.test';
// The attempt's own deadline plus the room the worker has around it (the activity's start-to-close margin).
const WAIT_MARGIN_MS = 15_000;

const testSendSchema = z
  .object({
    event_type: z.string().max(256).optional().openapi({ description: `A registered type whose example is sent; default ${TEST_EVENT_TYPE}.` }),
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

/** The type's example payload; an unregistered webhook.test (a workspace may have replaced it) falls back to the default. */
async function examplePayload(db: Db, workspaceId: string, requested: string | undefined): Promise<{ type: string; data: unknown }> {
  const type = requested ?? TEST_EVENT_TYPE;
  const row = await db
    .selectFrom('event_types')
    .select(['example'])
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', type)
    .executeTakeFirst();
  if (row) return { type, data: row.example ?? {} };
  if (requested !== undefined) {
    throw new ApiError(422, 'unknown_event_type', `Event type ${requested} is not registered in this workspace`, [
      { path: 'body.event_type', message: 'not registered' },
    ]);
  }
  return { type, data: DEFAULT_EVENT_TYPES.find((entry) => entry.name === TEST_EVENT_TYPE)?.example ?? {} };
}

/** Waits for the event workflow; a worker that is down or stuck becomes a 504, not a request hanging forever. */
async function awaitOutcome(temporal: Client, workflowId: string, timeoutMs: number): Promise<EventWorkflowResult> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    return await temporal.withAbortSignal(deadline, () => temporal.workflow.getHandle(workflowId).result());
  } catch (error) {
    if (!deadline.aborted) throw error;
    throw new ApiError(504, 'test_timed_out', `The test delivery did not finish within ${Math.round(timeoutMs / 1000)} s; it stays in the history (workflow ${workflowId})`);
  }
}

export function registerDestinationTestRoutes(routes: RouteTable, { db, temporal, config }: ApiDeps): void {
  routes.add({
    method: 'post',
    path: '/v1/destinations/:id/test',
    summary: 'Send a test event (webhook.test or a type’s example) with a single attempt, even to a paused destination, and report the outcome',
    tag: 'Destinations',
    access: 'workspace',
    params: destinationParams,
    body: testSendSchema,
    responses: { 200: { description: 'The outcome of the single attempt', schema: testResultSchema } },
    errors: [422, 504],
    handler: async ({ params, body, workspaceId }) => {
      const destination = await findDestination(db, workspaceId, params.id);
      const payload = await examplePayload(db, workspaceId, body.event_type);
      const started = await startEvent(
        temporal,
        config,
        { workspaceId, type: payload.type, data: payload.data, subject: null, occurredAt: null, idempotencyKey: null, test: { destinationId: destination.id } },
        new Date(),
      );
      const result = await awaitOutcome(temporal, started.workflowId, destination.timeout_seconds * 1000 + WAIT_MARGIN_MS);
      // No outcome means nothing was planned: the destination was deleted between our read and the workflow's.
      if (!result.test) throw ApiError.notFound('Destination');
      const attempt = result.test.lastAttempt;
      const ok = result.test.status === 'succeeded';
      let error = attempt?.error ?? null;
      if (!ok && error === null) {
        // The workflow could not hand back an attempt (e.g. cancelled): the row holds the reason.
        const row = await db.selectFrom('deliveries').select(['last_error']).where('id', '=', result.test.deliveryId).executeTakeFirst();
        error = row?.last_error ?? `delivery ${result.test.status}`;
      }
      return {
        status: 200,
        body: {
          ok,
          delivery_id: result.test.deliveryId,
          event_id: started.eventId,
          status_code: attempt?.statusCode ?? null,
          duration_ms: attempt ? Math.round(attempt.durationMs) : null,
          response_excerpt: attempt?.responseExcerpt ?? null,
          error,
        },
      };
    },
  });
}
