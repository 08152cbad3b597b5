// What a delivery is, as rules: its states, and when a person may retry it.
import { ConflictError } from './errors';
import { deliveryMode } from './delivery-mode';
import { isPaused, type PauseSwitches } from './destination';

/**
 * `queued`: waiting, in its workflow, for its turn under the destination's rate limit, concurrency cap, push-back or
 * ordered lane. `superseded`: on a coalescing destination, a newer event of its subject went in its place, unsent.
 * `erased`: its subject's data was erased on request before it was sent; it never will be.
 */
export const DELIVERY_STATUSES = ['pending', 'queued', 'delivering', 'succeeded', 'failed', 'held', 'skipped', 'cancelled', 'superseded', 'erased'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Deliveries that may still send: their event's data must stay until they finish (retention) or they are erased. */
export const OPEN_DELIVERY_STATUSES = ['pending', 'queued', 'delivering', 'held'] as const satisfies readonly DeliveryStatus[];

/** The states a delivery workflow ends in. */
export type FinalDeliveryStatus = Extract<DeliveryStatus, 'succeeded' | 'failed' | 'cancelled' | 'superseded'>;

export interface RestartCandidate extends PauseSwitches {
  id: string;
  status: DeliveryStatus;
  is_test: boolean;
  deleted_at: Date | null;
}

/**
 * Only finished deliveries restart: one still in flight already has a workflow working on it, and a held,
 * skipped or cancelled one was never meant to go out. Succeeded deliveries may be replayed on purpose.
 */
export function assertRestartable(row: RestartCandidate): void {
  switch (row.status) {
    case 'pending':
    case 'queued':
    case 'delivering':
      throw new ConflictError('delivery_in_progress', `Delivery ${row.id} is still ${row.status}; retry it once it has finished`);
    case 'held':
      throw new ConflictError(
        'delivery_held',
        `Delivery ${row.id} is held because its destination is paused; it is released when the destination is re-enabled`,
      );
    case 'skipped':
    case 'cancelled':
    case 'erased':
      throw new ConflictError('delivery_not_retryable', `Delivery ${row.id} was ${row.status} and cannot be retried`);
    // A superseded one may be sent after all, on purpose, as a succeeded one may be replayed.
    case 'succeeded':
    case 'failed':
    case 'superseded':
      break;
  }
  if (row.deleted_at !== null) {
    throw new ConflictError('delivery_not_retryable', `The destination of delivery ${row.id} was deleted`);
  }
  // A pause is a promise that nothing goes out; test sends are the exception, as when they were first sent.
  if (deliveryMode(row.is_test).heldWhenPaused && isPaused(row)) {
    throw new ConflictError('destination_paused', `The destination of delivery ${row.id} is paused; re-enable it before retrying`);
  }
}
