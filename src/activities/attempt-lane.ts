// The ordered-lane steps of an attempt: whether it may go now, and telling the next delivery of its lane once it is done.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type QueuedDetails } from '../contracts/delivery';
import { laneWaitMs, type Lane } from '../domain/ordered-lanes';
import type { AttemptContext } from '../store/attempt-context';
import { laneOfDelivery } from '../store/ordered-lanes';
import type { AttemptStore, LaneTurn } from './attempt-store';

export interface LaneDeps {
  store: Pick<AttemptStore, 'queueBehindLane' | 'nextInLane'>;
  passLaneTurn: LaneTurn;
}

/**
 * Step 1b, only for a delivery in an ordered lane: nothing goes while an earlier delivery of its subject to this
 * destination is unfinished, or an earlier event of its subject is not planned yet. No attempt is used.
 */
export async function keepOrder(deps: LaneDeps, row: AttemptContext, scheduleAttempt: number): Promise<Lane | null> {
  const lane = laneOfDelivery(row);
  if (lane === null) return null;
  const blocker = await deps.store.queueBehindLane({ workspaceId: row.workspace_id, destinationId: row.destination_id, deliveryId: row.delivery_id, lane });
  if (blocker === null) return lane;
  const details: QueuedDetails = { attemptsMade: scheduleAttempt - 1, waitMs: laneWaitMs(blocker), reason: 'ordering' };
  throw ApplicationFailure.create({
    type: FailureType.Queued,
    nonRetryable: true,
    message: `queued behind an earlier ${blocker === 'delivery' ? 'delivery' : 'event, not planned yet,'} of subject ${lane.subject}: it goes when that one is done`,
    details: [details],
  });
}

/** After a final outcome, best effort: the next delivery of the lane looks again at once (its timer would wake it anyway). */
export async function passTurn(deps: LaneDeps, row: AttemptContext, lane: Lane | null): Promise<void> {
  if (lane === null) return;
  try {
    const next = await deps.store.nextInLane({ destinationId: row.destination_id, lane });
    if (next !== undefined) await deps.passLaneTurn(next);
  } catch (error) {
    Context.current().log.warn('could not pass the turn to the next delivery of an ordered lane', { destinationId: row.destination_id, error: String(error) });
  }
}
