// One accepted event: store it and plan its deliveries, make every first attempt inline, and hand only what did not succeed to a delivery workflow.
import { proxyLocalActivities, setWorkflowOptions, upsertSearchAttributes } from '@temporalio/workflow';
import type { HooklineActivities } from '../activities/activities';
import { failureOf } from './attempt-outcome';
import {
  FailureType,
  type DeliveryWorkflowResult,
  type EventPlan,
  type EventWorkflowInput,
  type EventWorkflowResult,
  type FirstAttemptVerdict,
  type PlannedDelivery,
} from '../contracts/delivery';
import { childOptions, startDelivery } from './delivery-child';
import { planSummary } from './summaries';
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

/** Held deliveries wait, durably, in a workflow of their own for the destination to be released. */
const HELD: FirstAttemptVerdict = { kind: 'escalate', held: true, attemptsMade: 0, retryInMs: null, lastAttempt: null };

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
 * activity (plan, then every first attempt in parallel) and one search-attribute upsert. It closes within seconds, so
 * it is pinned to the build that started it (docs/versioning.md): a change to it ships as a new build, never a patch,
 * which would upsert TemporalChangeVersion, one more billable action on every event.
 */
export async function deliverEventWorkflow(input: EventWorkflowInput): Promise<EventWorkflowResult> {
  let plan: EventPlan;
  try {
    plan = await planning(input).planEventDeliveries(input);
  } catch (error) {
    // Only a failure that would fail again gets here (an outage is retried for as long as it lasts): the event
    // ends visibly, as rejected, and holds no workflow task slot.
    const failure = failureOf(error);
    if (failure.type !== FailureType.EventUnplannable) throw error;
    await rejectEvent({ event: input, reason: failure.message });
    return { deliveries: [], rejected: failure.message };
  }
  // Planning gave a verdict to every delivery it attempted or found attempted; a held one has none and waits.
  const toStart = plan.deliveries.filter((delivery) => delivery.verdict !== undefined || delivery.status === 'held');
  const verdicts = toStart.map((delivery) => delivery.verdict ?? HELD);
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

setWorkflowOptions({ versioningBehavior: 'PINNED' }, deliverEventWorkflow);
