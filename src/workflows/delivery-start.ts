// How a delivery workflow is started, by the event workflow and by a retry or release alike: its id, input and search attributes.
import type { SearchAttributePair } from '@temporalio/common';
import { deliveryMode } from '../domain/delivery-mode';
import { deliveryWorkflowId } from '../domain/workflow-ids';
import type { DeliveryWorkflowInput } from '../contracts/delivery';
import { deliverySummary } from './summaries';
import { deliveryStatusAttribute, destinationIdAttribute, eventTypeAttribute, subjectHashAttribute, workspaceIdAttribute } from './search-attributes';

export interface DeliveryToStart {
  deliveryId: string;
  workspaceId: string;
  destinationId: string;
  eventId: string;
  eventType: string;
  isTest: boolean;
  /**
   * The destination's own cap (a restart reads it from the row) or a plan's, which planning capped already for its
   * first attempts: the mode's cap (domain/delivery-mode.ts) is applied again here, so no delivery workflow can miss it.
   */
  maxAttempts: number;
  timeoutSeconds: number;
  /** The destination is paused: the workflow waits for a release before attempting. */
  held: boolean;
  /** The event's subject as its keyed hash, so an erasure finds this workflow; absent for events without a subject. */
  subjectHash?: string | undefined;
}

export interface DeliveryStart {
  workflowId: string;
  input: DeliveryWorkflowInput;
  typedSearchAttributes: SearchAttributePair[];
  /** What the Temporal UI lists for the workflow (starters with more to say replace it). */
  staticSummary: string;
}

export function deliveryStart(delivery: DeliveryToStart): DeliveryStart {
  const input: DeliveryWorkflowInput = {
    deliveryId: delivery.deliveryId,
    workspaceId: delivery.workspaceId,
    destinationId: delivery.destinationId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    maxAttempts: deliveryMode(delivery.isTest).attemptCap(delivery.maxAttempts),
    timeoutSeconds: delivery.timeoutSeconds,
    isTest: delivery.isTest,
    ...(delivery.held ? { held: true } : {}),
  };
  return {
    workflowId: deliveryWorkflowId(delivery.deliveryId),
    input,
    staticSummary: deliverySummary({
      eventType: delivery.eventType,
      destinationId: delivery.destinationId,
      maxAttempts: input.maxAttempts,
      held: delivery.held,
    }),
    typedSearchAttributes: [
      { key: workspaceIdAttribute, value: delivery.workspaceId },
      { key: destinationIdAttribute, value: [delivery.destinationId] },
      { key: eventTypeAttribute, value: delivery.eventType },
      { key: deliveryStatusAttribute, value: [delivery.held ? 'held' : 'delivering'] },
      ...(delivery.subjectHash !== undefined ? [{ key: subjectHashAttribute, value: delivery.subjectHash }] : []),
    ],
  };
}
