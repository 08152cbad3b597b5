// The event as receivers see it: the default body, and what subscription filters are written against.

export interface EnvelopeSource {
  eventId: string;
  type: string;
  /** When the event happened, ISO 8601. */
  occurredAt: string;
  workspaceId: string;
  data: unknown;
}

export interface EventEnvelope {
  id: string;
  type: string;
  timestamp: string;
  workspace_id: string;
  data: unknown;
}

/** Key order is fixed so signatures over the serialised body are reproducible. */
export function eventEnvelope(event: EnvelopeSource): EventEnvelope {
  return { id: event.eventId, type: event.type, timestamp: event.occurredAt, workspace_id: event.workspaceId, data: event.data };
}

/** Filters see the envelope plus the subject (which `first_match` keys on and filters may test). */
export function filterEnvelope(event: EnvelopeSource & { subject: string | null }): EventEnvelope & { subject: string | null } {
  return { ...eventEnvelope(event), subject: event.subject };
}
