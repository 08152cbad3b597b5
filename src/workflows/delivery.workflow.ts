// One delivery of one event to one destination: held while the destination is paused, attempts with Temporal's retry,
// closed as failed when they are spent (a manual retry starts it again). It lives for days: changes ship behind patched().
import { ApplicationFailure, condition, patched, proxyActivities, setHandler, setWorkflowOptions, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import type { HooklineActivities } from '../activities/activities';
import { failureOf } from './attempt-outcome';
import { FailureType, laneTurnSignal, releaseSignal, retrySignal, type DeliveryWorkflowInput, type DeliveryWorkflowResult } from '../contracts/delivery';
import { CLOSE_WHEN_FAILED, RESUME_WHEN_UNSENT, WAIT_FOR_TURN } from './patches';
import { deliveryStatusAttribute } from './search-attributes';
import { attemptActivitySummary, retryTimerSummary, turnTimerSummary } from './summaries';

type VisibleStatus = DeliveryWorkflowResult['status'] | 'delivering' | 'held';

const { markDelivery } = proxyActivities<HooklineActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/** Waits between tries while the database is away: 1 s doubling to a minute, for as long as the outage lasts. */
function unsentBackoffMs(tries: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.min(tries, 6));
}

/** `attemptsMade` were already spent (by the event workflow's inline attempt): Temporal's retries cover the rest. */
function attemptActivity(input: DeliveryWorkflowInput, attemptsMade: number) {
  return proxyActivities<HooklineActivities>({
    summary: attemptActivitySummary(input.request ?? input.destinationId, attemptsMade + 1, input.maxAttempts),
    // The HTTP deadline plus room for the database writes around it.
    startToCloseTimeout: `${input.timeoutSeconds + 15}s`,
    // The attempt heartbeats every second while it waits on the receiver.
    heartbeatTimeout: '5s',
    retry: {
      maximumAttempts: Math.max(1, input.maxAttempts - attemptsMade),
      // Each retryable failure names its own delay (schedule, jitter, Retry-After) through nextRetryDelay.
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '10h',
      nonRetryableErrorTypes: [FailureType.Permanent, FailureType.Gone, FailureType.TemplateError, FailureType.Cancelled, FailureType.Paused],
    },
  }).attemptDelivery;
}

export async function deliveryWorkflow(input: DeliveryWorkflowInput): Promise<DeliveryWorkflowResult> {
  let retryRequested = false;
  let released = false;
  // Counted too: a retry that came before a run of the schedule (the signal of signal-with-start) is that run.
  let retrySignals = 0;
  setHandler(retrySignal, () => {
    retryRequested = true;
    retrySignals += 1;
  });
  setHandler(releaseSignal, () => {
    released = true;
  });
  // Set when the delivery ahead in its ordered lane is done; cleared before each attempt, so one that comes during it counts.
  let laneTurn = false;
  setHandler(laneTurnSignal, () => {
    laneTurn = true;
  });
  let attemptsMade = input.attemptsMade ?? 0;
  let unsentTries = 0;
  // The next attempt comes after sleeping until the turn the destination's pacing gave it (domain/delivery-control.ts).
  let wokenForTurn = false;
  let turnAtMs: number | undefined = input.turnAtMs;
  const setStatus = (next: VisibleStatus) => {
    upsertSearchAttributes([{ key: deliveryStatusAttribute, value: [next] }]);
  };
  // A turn under the destination's pacing is a time (a timer); a turn in an ordered lane is the signal of the delivery
  // ahead, the timer only a net. Returns whether the delivery woke for a pacing turn (it then keeps its place).
  const waitForTurn = async (waitMs: number, reason: string | undefined): Promise<boolean> => {
    if (reason === 'ordering') {
      await condition(() => laneTurn, waitMs);
      return false;
    }
    await sleep(waitMs, { summary: turnTimerSummary(waitMs, reason) });
    // A coalescing window is the lane's own wait, not a place in the destination's pacing queue.
    return reason !== 'coalescing';
  };
  // Held deliveries wait without polling; the health workflow releases them, oldest first, when the destination is back.
  const holdUntilReleased = async () => {
    setStatus('held');
    await condition(() => released);
    released = false;
    setStatus('delivering');
  };

  if (input.held) await holdUntilReleased();
  // Planning found the destination's limit in the way: nothing was sent, and the first attempt waits for its turn.
  else if (input.queuedMs && patched(WAIT_FOR_TURN)) {
    wokenForTurn = await waitForTurn(input.queuedMs, input.waitsForLane ? 'ordering' : undefined);
  }
  // The inline attempt named when the next one is due: Temporal's retry policy cannot delay a first attempt, a timer can.
  else if (attemptsMade > 0 && input.retryInMs) await sleep(input.retryInMs, { summary: retryTimerSummary(attemptsMade + 1, input.maxAttempts, null) });
  for (;;) {
    const retriesBefore = retrySignals;
    const woken = wokenForTurn;
    const turn = turnAtMs;
    wokenForTurn = false;
    turnAtMs = undefined;
    laneTurn = false;
    try {
      const summary = await attemptActivity(
        input,
        attemptsMade,
      )({
        deliveryId: input.deliveryId,
        workspaceId: input.workspaceId,
        maxAttempts: input.maxAttempts,
        ...(attemptsMade > 0 ? { attemptOffset: attemptsMade } : {}),
        ...(woken ? { wokenForTurn: true, ...(turn !== undefined ? { turnAtMs: turn } : {}) } : {}),
      });
      setStatus('succeeded');
      return { deliveryId: input.deliveryId, status: 'succeeded', lastAttempt: summary };
    } catch (error) {
      const failure = failureOf(error);
      if (failure.type === FailureType.Cancelled) {
        setStatus('cancelled');
        return { deliveryId: input.deliveryId, status: 'cancelled', lastAttempt: failure.attempt };
      }
      // Only a coalescing destination's attempt raises it (no recorded history holds one): the newer event went instead.
      if (failure.type === FailureType.Superseded) {
        setStatus('superseded');
        return { deliveryId: input.deliveryId, status: 'superseded', lastAttempt: null };
      }
      if (failure.queued && patched(WAIT_FOR_TURN)) {
        // Nothing was sent and no attempt used: the same schedule position when the turn comes.
        attemptsMade = failure.queued.attemptsMade;
        wokenForTurn = await waitForTurn(failure.queued.waitMs, failure.queued.reason);
        turnAtMs = wokenForTurn ? failure.queued.turnAtMs : undefined;
        continue;
      }
      if (failure.unsent && patched(RESUME_WHEN_UNSENT)) {
        // Not the receiver's failure: the same position of the schedule, once the database is back.
        attemptsMade = failure.unsent.attemptsMade;
        await sleep(unsentBackoffMs(unsentTries++), { summary: 'database unavailable: the attempt waits for it' });
        continue;
      }
      // After a hold or a manual retry the whole schedule runs again.
      attemptsMade = 0;
      if (failure.type === FailureType.Paused) {
        await holdUntilReleased();
        continue;
      }
      const isTest = input.isTest ?? input.retryWindowMs === 0;
      const closes = !isTest && patched(CLOSE_WHEN_FAILED);
      // Covers what the attempt could not record itself, e.g. a worker that died mid-attempt.
      if (!closes || failure.attempt === null) {
        await markDelivery({ deliveryId: input.deliveryId, workspaceId: input.workspaceId, status: 'failed', error: failure.message });
      }
      setStatus('failed');
      if (closes) {
        // The row said `failed` before this point (the last attempt wrote it), so a retry may already be here: it
        // keeps the workflow open. One that arrives later starts a fresh run (signal-with-start).
        if (retrySignals === retriesBefore) {
          throw ApplicationFailure.create({ type: FailureType.DeliveryFailed, message: failure.message, nonRetryable: true, details: [failure.attempt] });
        }
        retryRequested = false;
        await markDelivery({ deliveryId: input.deliveryId, workspaceId: input.workspaceId, status: 'delivering' });
        setStatus('delivering');
        continue;
      }
      // Workflows without CLOSE_WHEN_FAILED (and test sends) wait here; the flag is consumed after waking, never cleared before.
      const retryWindowMs = input.retryWindowMs ?? 0;
      const retried = retryWindowMs > 0 && (await condition(() => retryRequested, retryWindowMs));
      if (!retried) return { deliveryId: input.deliveryId, status: 'failed', lastAttempt: failure.attempt };
      retryRequested = false;
      // A manual retry runs the whole schedule again from the first attempt.
      await markDelivery({ deliveryId: input.deliveryId, workspaceId: input.workspaceId, status: 'delivering' });
      setStatus('delivering');
    }
  }
}

// A delivery may wait for days: it moves to the current build, and patched() keeps it compatible.
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, deliveryWorkflow);
