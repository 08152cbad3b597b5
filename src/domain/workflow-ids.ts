// Temporal workflow ids for events, deliveries and destination health; dependency-free so workflow bundles can import it.

/*
 * Workflow ids double as idempotency keys: starting a workflow whose id is already running is
 * rejected by Temporal, so the same event or delivery can never be processed by two workflows.
 * These strings are part of the durable state in Temporal — changing a format orphans running workflows.
 */

/** The workflow that fans one ingested event out to its matching destinations. */
export function eventWorkflowId(eventId: string): string {
  return `event-${eventId}`;
}

/** The workflow that carries one delivery (event × destination) through its attempts. */
export function deliveryWorkflowId(deliveryId: string): string {
  return `delivery-${deliveryId}`;
}

/** The long-lived workflow that tracks the health of one destination. */
export function healthWorkflowId(destinationId: string): string {
  return `destination-health-${destinationId}`;
}
