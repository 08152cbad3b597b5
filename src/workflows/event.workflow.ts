// One accepted event: store it and plan its deliveries, make every first attempt inline, and hand only what did not succeed to a delivery workflow.
import { proxyLocalActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { HooklineActivities } from '../activities/activities';
import { attemptCap } from '../domain/delivery';
import { failureOf, verdictOfFailure } from './attempt-outcome';
import { verdictOfSuccess } from './first-attempt-verdict';
import {
  FailureType,
  type DeliveryWorkflowResult,
  type EventPlan,
  type EventWorkflowInput,
  type EventWorkflowResult,
  type FirstAttemptVerdict,
  type PlannedDelivery,
} from './contracts';
import { childOptions, startDelivery } from './delivery-child';
import { firstAttemptSummary, planSummary } from './summaries';
import { deliveryStatusAttribute, destinationIdAttribute } from './search-attributes';

// A local activity: planning and the first attempts need no trip through the server's task queue, and the
// Temporal server is where most of a delivery's CPU goes (bench/README.md). Idempotent by event id, and it never
// sends a request it finds recorded, so a retry after a lost workflow task is harmless.
const { rejectEvent } = proxyLocalActivities<HooklineActivities>({ startToCloseTimeout: '1m', retry: { initialInterval: '1s', maximumInterval: '30s' } });

function planning(input: EventWorkflowInput) {
  return proxyLocalActivities<HooklineActivities>({
    summary: planSummary(input.type),
    // One short statement, then the first attempts in parallel, each bounded by its destination's timeout (at most
    // 30 s, twice during a hex secret rotation) plus the wait for a database connection. Generous on purpose: a run
    // that times out is retried while its requests may still be out, and only a live, stuck worker ever reaches it
    // (a dead one loses its workflow task long before).
    startToCloseTimeout: '5m',
    retry: { initialInterval: '1s', maximumInterval: '30s', nonRetryableErrorTypes: [FailureType.EventUnplannable] },
  });
}

/** An inline first attempt of its own, as event workflows made them before planning made them (their histories replay through it). */
function firstAttemptActivity(delivery: PlannedDelivery, maxAttempts: number) {
  return proxyLocalActivities<HooklineActivities>({
    summary: firstAttemptSummary(delivery.destinationId, maxAttempts),
    // The HTTP deadline plus room for the database writes around it.
    startToCloseTimeout: `${delivery.timeoutSeconds + 15}s`,
    retry: { maximumAttempts: 1 },
  }).attemptDelivery;
}

async function firstAttempt(input: EventWorkflowInput, delivery: PlannedDelivery): Promise<FirstAttemptVerdict> {
  // Held deliveries wait, durably, in a workflow of their own for the destination to be released.
  if (delivery.status === 'held') return { kind: 'escalate', held: true, attemptsMade: 0, retryInMs: null, lastAttempt: null };
  try {
    const isTest = input.test !== undefined;
    const maxAttempts = attemptCap(isTest, delivery.maxAttempts);
    return verdictOfSuccess(
      await firstAttemptActivity(
        delivery,
        maxAttempts,
      )({ deliveryId: delivery.deliveryId, workspaceId: input.workspaceId, maxAttempts, ...(isTest ? { isTest } : {}) }),
    );
  } catch (error) {
    return verdictOfFailure(error, input.test !== undefined);
  }
}

function shownStatus(verdict: FirstAttemptVerdict): string {
  if (verdict.kind === 'done') return verdict.status;
  return verdict.held ? 'held' : 'delivering';
}

/** The plan as the workflow's result: the deliveries and their states, without the verdicts the history already shows. */
function planned(plan: EventPlan): PlannedDelivery[] {
  return plan.deliveries.map(({ verdict: _verdict, ...delivery }) => delivery);
}

/*
 * The success path of an event is one workflow and one workflow task, whatever its fan-out: the start, one local
 * activity (plan, then every first attempt in parallel) and one search-attribute upsert. A new workflow type
 * rather than a patch: `patched()` upserts TemporalChangeVersion, one more billable action on every event.
 * Event workflows of earlier releases finish as `eventWorkflow` (legacy/event.workflow.ts).
 *
 * Plans recorded before planning made the first attempts carry no verdicts: those workflows attempt each pending
 * delivery in a local activity of its own, as they did, so their histories replay unchanged.
 */
export async function deliverEventWorkflow(input: EventWorkflowInput): Promise<EventWorkflowResult> {
  let plan: EventPlan;
  try {
    plan = await planning(input).planEventDeliveries({ ...input, firstAttempts: true });
  } catch (error) {
    // Only a failure that would fail again gets here (an outage is retried for as long as it lasts): the event
    // ends visibly, as rejected, and holds no workflow task slot.
    const failure = failureOf(error);
    if (failure.type !== FailureType.EventUnplannable) throw error;
    await rejectEvent({ event: input, reason: failure.message });
    return { deliveries: [], rejected: failure.message };
  }
  const toStart = plan.deliveries.filter((delivery) => delivery.verdict !== undefined || delivery.status === 'pending' || delivery.status === 'held');

  const verdicts = await Promise.all(toStart.map((delivery) => delivery.verdict ?? firstAttempt(input, delivery)));
  if (input.test) {
    const [delivery] = toStart;
    const [verdict] = verdicts;
    if (!delivery || !verdict) return { deliveries: planned(plan) };
    const test: DeliveryWorkflowResult = {
      deliveryId: delivery.deliveryId,
      status: verdict.kind === 'done' ? verdict.status : 'failed',
      lastAttempt: verdict.lastAttempt,
    };
    return { deliveries: planned(plan), test };
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
  return { deliveries: planned(plan) };
}
