// The ordered-lane steps of an attempt: whether it may go now (or, coalescing, at all), and telling the next delivery of its lane once it is done.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type QueuedDetails } from '../contracts/delivery';
import { coalesces, windowClosesAtMs } from '../domain/coalescing';
import { laneWaitMs, type Lane } from '../domain/ordered-lanes';
import type { AttemptContext } from '../store/attempt-context';
import { laneOfDelivery } from '../store/ordered-lanes';
import type { AttemptStore, LaneTurn } from './attempt-store';

export interface LaneDeps {
  store: Pick<AttemptStore, 'queueBehindLane' | 'nextInLane' | 'waitForWindow' | 'supersedeByNewest'>;
  passLaneTurn: LaneTurn;
  now: () => Date;
}

/**
 * Step 1b, only for a delivery in an ordered lane: nothing goes while an earlier delivery of its subject to this
 * destination is unfinished, or an earlier event of its subject is not planned yet. No attempt is used.
 */
export async function keepOrder(deps: LaneDeps, row: AttemptContext, scheduleAttempt: number): Promise<Lane | null> {
  const lane = laneOfDelivery(row);
  if (lane === null) return null;
  const check = { workspaceId: row.workspace_id, destinationId: row.destination_id, deliveryId: row.delivery_id, lane };
  const blocker = await deps.store.queueBehindLane(check);
  if (blocker === null) {
    if (coalesces(row.coalesce_seconds, scheduleAttempt)) await coalesce(deps, row, check, row.coalesce_seconds);
    return lane;
  }
  const details: QueuedDetails = { attemptsMade: scheduleAttempt - 1, waitMs: laneWaitMs(blocker), reason: 'ordering' };
  throw ApplicationFailure.create({
    type: FailureType.Queued,
    nonRetryable: true,
    message: `queued behind an earlier ${blocker === 'delivery' ? 'delivery' : 'event, not planned yet,'} of subject ${lane.subject}: it goes when that one is done`,
    details: [details],
  });
}

/**
 * Step 1c, for the head of a coalescing lane: it waits for its window to close; then the newest unsent delivery of its
 * subject goes instead of it (and of every older one), or, when it is the newest, it goes itself.
 */
async function coalesce(deps: LaneDeps, row: AttemptContext, check: Parameters<LaneDeps['store']['supersedeByNewest']>[0], seconds: number): Promise<void> {
  const handed = row.queue_reason === 'coalescing' && row.next_attempt_at !== null ? row.next_attempt_at.getTime() : null;
  const closesAtMs = windowClosesAtMs({ receivedAtMs: row.received_at.getTime(), coalesceSeconds: seconds, handedTurnAtMs: handed });
  const nowMs = deps.now().getTime();
  if (closesAtMs > nowMs) {
    await deps.store.waitForWindow({ workspaceId: row.workspace_id, deliveryId: row.delivery_id, closesAt: new Date(closesAtMs) });
    const details: QueuedDetails = { attemptsMade: 0, waitMs: closesAtMs - nowMs, reason: 'coalescing', turnAtMs: closesAtMs };
    throw ApplicationFailure.create({
      type: FailureType.Queued,
      nonRetryable: true,
      message: `coalescing subject ${check.lane.subject}: the newest of its events goes in ${Math.ceil((closesAtMs - nowMs) / 1000)} s`,
      details: [details],
    });
  }
  const { newest, superseded } = await deps.store.supersedeByNewest(check);
  if (newest === null) return;
  // The newest goes now; each superseded workflow would end at its next look anyway, and the signal makes that now.
  const told = [newest, ...superseded.filter((id) => id !== row.delivery_id)];
  await Promise.all(told.map((id) => signalQuietly(deps, row, id)));
  throw ApplicationFailure.create({
    type: FailureType.Superseded,
    nonRetryable: true,
    message: `superseded by a newer event of subject ${check.lane.subject}, delivered in its place`,
  });
}

async function signalQuietly(deps: LaneDeps, row: AttemptContext, deliveryId: string): Promise<void> {
  await deps.passLaneTurn(deliveryId).catch((error: unknown) => {
    Context.current().log.warn('could not tell a delivery of a coalescing lane', { destinationId: row.destination_id, deliveryId, error: String(error) });
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
