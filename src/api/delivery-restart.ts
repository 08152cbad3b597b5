// Manual retry of a delivery: which rows may be retried, and the one restart both retry endpoints use.
import type { Client } from '@temporalio/client';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import type { DeliveryStatus } from '../db/schema';
import { deliveryInputFor, signalDeliveryWorkflow, type SignallableDelivery } from '../orchestration/delivery-signals';
import { RETRY_SIGNAL } from '../workflows/contracts';
import { ApiError } from './errors';

/** A delivery with what a restart needs from its destination, and what decides whether it may restart. */
export interface RestartableDelivery extends SignallableDelivery {
  status: DeliveryStatus;
  enabled: boolean;
  auto_disabled_at: Date | null;
  deleted_at: Date | null;
}

/** The base query both endpoints narrow: deliveries joined to their destination, scoped to one workspace. */
export function restartableDeliveries(db: Db, workspaceId: string) {
  return db
    .selectFrom('deliveries as dl')
    .innerJoin('destinations as d', 'd.id', 'dl.destination_id')
    .select([
      'dl.id', 'dl.workspace_id', 'dl.destination_id', 'dl.event_id', 'dl.event_type', 'dl.status', 'dl.workflow_id', 'dl.is_test',
      'd.max_attempts', 'd.timeout_seconds', 'd.enabled', 'd.auto_disabled_at', 'd.deleted_at',
    ])
    .where('dl.workspace_id', '=', workspaceId);
}

export async function findRestartable(db: Db, workspaceId: string, deliveryId: string): Promise<RestartableDelivery> {
  const row = await restartableDeliveries(db, workspaceId).where('dl.id', '=', deliveryId).executeTakeFirst();
  if (!row) throw ApiError.notFound('Delivery');
  return row;
}

/**
 * Only finished deliveries restart: one still in flight already has a workflow working on it, and a held,
 * skipped or cancelled one was never meant to go out. Succeeded deliveries may be replayed on purpose.
 */
export function assertRestartable(row: RestartableDelivery): void {
  switch (row.status) {
    case 'pending':
    case 'delivering':
      throw new ApiError(409, 'delivery_in_progress', `Delivery ${row.id} is still ${row.status}; retry it once it has finished`);
    case 'held':
      throw new ApiError(409, 'delivery_held', `Delivery ${row.id} is held because its destination is paused; it is released when the destination is re-enabled`);
    case 'skipped':
    case 'cancelled':
      throw new ApiError(409, 'delivery_not_retryable', `Delivery ${row.id} was ${row.status} and cannot be retried`);
    case 'succeeded':
    case 'failed':
      break;
  }
  if (row.deleted_at !== null) {
    throw new ApiError(409, 'delivery_not_retryable', `The destination of delivery ${row.id} was deleted`);
  }
  // A pause is a promise that nothing goes out; test sends are the exception, as when they were first sent.
  if (!row.is_test && (!row.enabled || row.auto_disabled_at !== null)) {
    throw new ApiError(409, 'destination_paused', `The destination of delivery ${row.id} is paused; re-enable it before retrying`);
  }
}

/**
 * signal-with-start covers both cases: a workflow still open in its retry window receives the signal and
 * runs the schedule again from attempt 1; a completed one (window over, or succeeded) is started afresh for
 * the same delivery row, with the signal as its first event. The workflow, not the API, sets the row's status.
 */
export async function restartDelivery(temporal: Client, config: Config, row: RestartableDelivery): Promise<{ workflowId: string }> {
  await signalDeliveryWorkflow(temporal, config.temporal.taskQueue, {
    workflowId: row.workflow_id,
    input: deliveryInputFor(row, config),
    signal: RETRY_SIGNAL,
  });
  return { workflowId: row.workflow_id };
}
