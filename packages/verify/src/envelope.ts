// The body Hookline sends to a destination without a body_template, and the data of Hookline's own event types.

/** Hookline's default delivery body. `T` is the event data: generate it from GET /v1/webhooks/openapi.json. */
export interface WebhookEnvelope<T = unknown, Type extends string = string> {
  /** The event id: the same for every destination and every retry (webhook-id is the delivery id). */
  id: string;
  type: Type;
  /** When the event happened, ISO 8601. */
  timestamp: string;
  workspace_id: string;
  data: T;
}

/** `webhook.test`: sent on request and by the auto-recover probe, unless the workspace registered its own example. */
export interface WebhookTestData {
  message: string;
}

/** `webhook.auto_disabled`: a destination was paused after repeated failures (never sent to the paused destination). */
export interface WebhookAutoDisabledData {
  destination_id: string;
  destination_name: string;
  reason: string | null;
  consecutive_failures: number;
  disabled_at: string;
}

export type WebhookTestEvent = WebhookEnvelope<WebhookTestData, 'webhook.test'>;
export type WebhookAutoDisabledEvent = WebhookEnvelope<WebhookAutoDisabledData, 'webhook.auto_disabled'>;
