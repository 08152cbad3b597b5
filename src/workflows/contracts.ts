// What the API, the worker and the workflows agree on: workflow inputs, signals and results.
import type { DeliveryStatus } from '../db/schema';

export interface EventWorkflowInput {
  eventId: string;
  workspaceId: string;
  type: string;
  data: unknown;
  subject: string | null;
  occurredAt: string;
  receivedAt: string;
  idempotencyKey: string | null;
  /** Test sends target one destination and make a single attempt. */
  test?: { destinationId: string };
}

export interface PlannedDelivery {
  deliveryId: string;
  destinationId: string;
  status: DeliveryStatus;
}

export interface EventWorkflowResult {
  deliveries: PlannedDelivery[];
}

export interface DeliveryWorkflowInput {
  deliveryId: string;
  workspaceId: string;
  destinationId: string;
  eventId: string;
  eventType: string;
  /** Overrides the destination's cap; test sends use 1. */
  maxAttempts?: number;
}

export interface DeliveryWorkflowResult {
  deliveryId: string;
  status: Extract<DeliveryStatus, 'succeeded' | 'failed' | 'cancelled'>;
  attempts: number;
}

export const RETRY_SIGNAL = 'retry';
export const DELIVERY_STATUS_QUERY = 'deliveryStatus';

/** The ApplicationFailure types workflows and activities raise; the API maps them to delivery outcomes. */
export const FailureType = {
  Retryable: 'DeliveryRetryable',
  Permanent: 'DeliveryPermanent',
  Gone: 'DestinationGone',
  TemplateError: 'TemplateError',
  DestinationMissing: 'DestinationMissing',
} as const;
