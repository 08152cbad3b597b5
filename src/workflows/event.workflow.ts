// One accepted event: store it and plan its deliveries, make every first attempt inline, and hand only what did not succeed to a delivery workflow.
import { proxyLocalActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { HooklineActivities } from '../activities/activities';
import { attemptCap } from '../domain/delivery';
import { failureOf, verdictOfFailure, verdictOfSuccess, type FirstAttemptVerdict } from './attempt-outcome';
import { FailureType, type DeliveryWorkflowResult, type EventPlan, type EventWorkflowInput, type EventWorkflowResult, type PlannedDelivery } from './contracts';
import { childOptions, startDelivery } from './delivery-child';
import { deliveryStatusAttribute, destinationIdAttribute } from './search-attributes';

// A local activity: one short transaction needs no trip through the server's task queue, and the
// Temporal server is where most of a delivery's CPU goes (bench/README.md). Idempotent by event id, so a
// retry after a lost workflow task is harmless.
const { planEventDeliveries, rejectEvent } = proxyLocalActivities<HooklineActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s', nonRetryableErrorTypes: [FailureType.EventUnplannable] },
});

/** The inline first attempt: one try, the delivery workflow owns every retry and its schedule. */
function firstAttemptActivity(delivery: PlannedDelivery) {
  return proxyLocalActivities<HooklineActivities>({
    // The HTTP deadline plus room for the database writes around it.
    startToCloseTimeout: `${delivery.timeoutSeconds + 15}s`,
    retry: { maximumAttempts: 1 },
  }).attemptDelivery;
}

async function firstAttempt(input: EventWorkflowInput, delivery: PlannedDelivery): Promise<FirstAttemptVerdict> {
  // Held deliveries wait, durably, in a workflow of their own for the destination to be released.
  if (delivery.status === 'held') return { kind: 'escalate', held: true, attemptsMade: 0, retryInMs: null, lastAttempt: null };
  try {
    const maxAttempts = attemptCap(input.test !== undefined, delivery.maxAttempts);
    return verdictOfSuccess(await firstAttemptActivity(delivery)({ deliveryId: delivery.deliveryId, workspaceId: input.workspaceId, maxAttempts }));
  } catch (error) {
    return verdictOfFailure(error, input.test !== undefined);
  }
}

function shownStatus(verdict: FirstAttemptVerdict): string {
  if (verdict.kind === 'done') return verdict.status;
  return verdict.held ? 'held' : 'delivering';
}

/*
 * The success path of an event is one workflow and one workflow task, whatever its fan-out: the start, the local
 * activities (plan, then every first attempt in parallel) and one search-attribute upsert. A new workflow type
 * rather than a patch: `patched()` upserts TemporalChangeVersion, one more billable action on every event.
 * Event workflows of earlier releases finish as `eventWorkflow` (legacy/event.workflow.ts).
 */
export async function deliverEventWorkflow(input: EventWorkflowInput): Promise<EventWorkflowResult> {
  let plan: EventPlan;
  try {
    plan = await planEventDeliveries(input);
  } catch (error) {
    // Only a failure that would fail again gets here (an outage is retried for as long as it lasts): the event
    // ends visibly, as rejected, and holds no workflow task slot.
    const failure = failureOf(error);
    if (failure.type !== FailureType.EventUnplannable) throw error;
    await rejectEvent({ event: input, reason: failure.message });
    return { deliveries: [], rejected: failure.message };
  }
  const toStart = plan.deliveries.filter((delivery) => delivery.status === 'pending' || delivery.status === 'held');

  const verdicts = await Promise.all(toStart.map((delivery) => firstAttempt(input, delivery)));
  if (input.test) {
    const [delivery] = toStart;
    const [verdict] = verdicts;
    if (!delivery || !verdict) return { deliveries: plan.deliveries };
    const test: DeliveryWorkflowResult = { deliveryId: delivery.deliveryId, status: verdict.kind === 'done' ? verdict.status : 'failed', lastAttempt: verdict.lastAttempt };
    return { deliveries: plan.deliveries, test };
  }
  await Promise.all(
    toStart.map((delivery, index) => {
      const verdict = verdicts[index]!;
      return verdict.kind === 'escalate' ? startDelivery(childOptions(input, delivery, verdict)) : undefined;
    }),
  );
  // One upsert for the whole fan-out, so the Temporal UI finds this event by any of its destinations and outcomes.
  if (toStart.length > 0) {
    upsertSearchAttributes([
      { key: destinationIdAttribute, value: toStart.map((delivery) => delivery.destinationId) },
      { key: deliveryStatusAttribute, value: [...new Set(verdicts.map(shownStatus))] },
    ]);
  }
  return { deliveries: plan.deliveries };
}
