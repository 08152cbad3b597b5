// One delivery of one event to one destination: held while the destination is paused, attempts with
// Temporal's retry, then a window for manual retry.
import { ActivityFailure, ApplicationFailure, condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { HooklineActivities } from '../activities/activities';
import {
  FailureType,
  releaseSignal,
  retrySignal,
  type AttemptSummary,
  type DeliveryWorkflowInput,
  type DeliveryWorkflowResult,
} from './contracts';
import { deliveryStatusAttribute } from './search-attributes';

type VisibleStatus = DeliveryWorkflowResult['status'] | 'delivering' | 'held';

const { markDelivery } = proxyActivities<HooklineActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

function attemptActivity(input: DeliveryWorkflowInput) {
  return proxyActivities<HooklineActivities>({
    // The HTTP deadline plus room for the database writes around it.
    startToCloseTimeout: `${input.timeoutSeconds + 15}s`,
    // The attempt heartbeats every second while it waits on the receiver.
    heartbeatTimeout: '5s',
    retry: {
      maximumAttempts: input.maxAttempts,
      // Each retryable failure names its own delay (schedule, jitter, Retry-After) through nextRetryDelay.
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '10h',
      nonRetryableErrorTypes: [FailureType.Permanent, FailureType.Gone, FailureType.TemplateError, FailureType.Cancelled, FailureType.Paused],
    },
  }).attemptDelivery;
}

function failureOf(error: unknown): { type: string | undefined; message: string; attempt: AttemptSummary | null } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    const detail = cause.details?.[0] as AttemptSummary | undefined;
    return { type: cause.type ?? undefined, message: cause.message, attempt: detail ?? null };
  }
  return { type: undefined, message: cause instanceof Error ? cause.message : String(cause), attempt: null };
}

export async function deliveryWorkflow(input: DeliveryWorkflowInput): Promise<DeliveryWorkflowResult> {
  let retryRequested = false;
  let released = false;
  setHandler(retrySignal, () => {
    retryRequested = true;
  });
  setHandler(releaseSignal, () => {
    released = true;
  });
  const attempt = attemptActivity(input);
  const setStatus = (next: VisibleStatus) => {
    upsertSearchAttributes([{ key: deliveryStatusAttribute, value: next }]);
  };
  // Held deliveries wait without polling; the health workflow releases them, oldest first, when the destination is back.
  const holdUntilReleased = async () => {
    setStatus('held');
    await condition(() => released);
    released = false;
    setStatus('delivering');
  };

  if (input.held) await holdUntilReleased();
  for (;;) {
    try {
      const summary = await attempt({ deliveryId: input.deliveryId, workspaceId: input.workspaceId, maxAttempts: input.maxAttempts });
      setStatus('succeeded');
      return { deliveryId: input.deliveryId, status: 'succeeded', lastAttempt: summary };
    } catch (error) {
      const failure = failureOf(error);
      if (failure.type === FailureType.Cancelled) {
        setStatus('cancelled');
        return { deliveryId: input.deliveryId, status: 'cancelled', lastAttempt: failure.attempt };
      }
      if (failure.type === FailureType.Paused) {
        await holdUntilReleased();
        continue;
      }
      // Covers what the attempt could not record itself, e.g. a worker that died mid-attempt.
      await markDelivery({ deliveryId: input.deliveryId, workspaceId: input.workspaceId, status: 'failed', error: failure.message });
      setStatus('failed');
      // The row said `failed` before this point (the last attempt wrote it), so a retry may already be here:
      // the flag is consumed after waking, never cleared before waiting.
      const retried = input.retryWindowMs > 0 && (await condition(() => retryRequested, input.retryWindowMs));
      if (!retried) return { deliveryId: input.deliveryId, status: 'failed', lastAttempt: failure.attempt };
      retryRequested = false;
      // A manual retry runs the whole schedule again from the first attempt.
      await markDelivery({ deliveryId: input.deliveryId, workspaceId: input.workspaceId, status: 'delivering' });
      setStatus('delivering');
    }
  }
}
