// Ingestion (`POST /v1/events`) and reading an event with its deliveries.
import { payloadStateOf } from '../../domain/retention';
import { InvalidInputError } from '../../domain/errors';
import { assertSameRequest, requestFingerprint } from '../../domain/idempotency';
import { acceptedEvent } from '../../domain/incoming-event';
import { activeTraceCarrier } from '../../observability/trace-carrier';
import { acceptEvent } from '../../store/event-outbox';
import { eventDeliveries } from '../../store/deliveries';
import { findEvent } from '../../store/events';
import { toDeliverySummary } from '../deliveries/schemas';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import type { RouteTable } from '../http/route';
import { EventPayloadValidator } from './payload-validator';
import { directLookups } from '../http/lookup-cache';
import { eventAcceptedSchema, eventInSchema, eventSchema, IDEMPOTENCY_KEY, ingestHeadersSchema, ingestReplayHeaders } from './schemas';

export function registerEventRoutes(routes: RouteTable, deps: ApiDeps): void {
  const { db, config } = deps;
  const payloads = new EventPayloadValidator(db, deps.lookups ?? directLookups(db));

  routes.add({
    method: 'post',
    path: '/v1/events',
    operationId: 'ingestEvent',
    summary: 'Ingest an event; 202 once it is committed in PostgreSQL, whence its workflow starts. Send Idempotency-Key to make retries safe.',
    tag: 'Events',
    access: 'workspace',
    headers: ingestHeadersSchema,
    body: eventInSchema,
    errors: [422, 503],
    responses: { 202: { description: 'Accepted', schema: eventAcceptedSchema, headers: ingestReplayHeaders } },
    handler: async ({ body, workspaceId, req }) => {
      const idempotencyKey = req.header('idempotency-key') ?? null;
      if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
        throw new InvalidInputError('invalid_idempotency_key', 'Idempotency-Key must be 1–255 visible ASCII characters', [
          { path: 'headers.idempotency-key', message: 'invalid' },
        ]);
      }
      await payloads.validate(workspaceId, body.type, body.data);
      const event = acceptedEvent(
        {
          workspaceId,
          type: body.type,
          data: body.data,
          subject: body.subject ?? null,
          occurredAt: body.occurred_at ? new Date(body.occurred_at) : null,
          idempotencyKey,
        },
        new Date(),
      );
      const fingerprint =
        idempotencyKey === null
          ? null
          : requestFingerprint({ type: body.type, data: body.data, subject: body.subject ?? null, occurredAt: body.occurred_at ?? null });
      // Accepted once committed: a relay in every worker starts its workflow, so a Temporal outage delays delivery, not ingestion.
      const acceptance = await acceptEvent(db, { event, taskQueue: config.temporal.taskQueue, fingerprint, traceCarrier: activeTraceCarrier() });
      if (!acceptance.accepted && fingerprint !== null) assertSameRequest(acceptance.fingerprint, fingerprint);
      return {
        status: 202,
        body: { event_id: event.eventId },
        headers: acceptance.accepted ? undefined : { 'idempotent-replayed': 'true' },
      };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/events/:id',
    operationId: 'getEvent',
    summary: 'Read an event and the deliveries it produced',
    tag: 'Events',
    access: 'workspace',
    params: z.object({ id: z.string() }),
    responses: { 200: { description: 'The event', schema: eventSchema } },
    handler: async ({ params, workspaceId }) => {
      const event = await findEvent(db, workspaceId, params.id);
      const deliveries = await eventDeliveries(db, workspaceId, event.id);
      return {
        status: 200,
        body: {
          ...event,
          payload: payloadStateOf(event),
          status: event.rejected_reason === null ? ('accepted' as const) : ('rejected' as const),
          deliveries: deliveries.map(toDeliverySummary),
        },
      };
    },
  });
}
