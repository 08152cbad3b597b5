// An event as a caller hands it in (ingestion, a test send, an event Hookline emits), and what its acceptance makes of it.
import type { EventWorkflowInput } from '../contracts/delivery';
import { deterministicId, newId } from './ids';

export interface IncomingEvent {
  workspaceId: string;
  type: string;
  data: unknown;
  subject: string | null;
  occurredAt: Date | null;
  idempotencyKey: string | null;
  test?: { destinationId: string };
}

/** Same key, same workspace → same event id → same workflow id, so concurrent duplicates collapse into one. */
function eventIdFor(event: IncomingEvent): string {
  return event.idempotencyKey === null ? newId('evt') : deterministicId('evt', event.workspaceId, event.idempotencyKey);
}

/** The accepted event, as PostgreSQL stores it and its workflow carries it. */
export function acceptedEvent(event: IncomingEvent, now: Date): EventWorkflowInput {
  return {
    eventId: eventIdFor(event),
    workspaceId: event.workspaceId,
    type: event.type,
    data: event.data,
    subject: event.subject,
    occurredAt: (event.occurredAt ?? now).toISOString(),
    receivedAt: now.toISOString(),
    idempotencyKey: event.idempotencyKey,
    ...(event.test ? { test: event.test } : {}),
  };
}
