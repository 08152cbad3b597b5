// An event's first attempts, made inside its planning activity: one local activity and one workflow activation, whatever the fan-out.
/*
 * Each local activity costs its workflow an activation (a trip into the workflow sandbox), a marker in its history
 * and a round trip between the worker's threads: with a local activity per first attempt, an event to 50
 * destinations took 52 activations. Planning and attempting in one activity takes 1, and the attempts run in
 * parallel inside it. Every outcome comes back as a verdict (data, never a thrown failure), so the planning
 * activity retries only for its own failures, and a retry of it never sends a request that was recorded.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import pLimit from 'p-limit';
import type { Db } from '../db/connect';
import type { PlannedRow, StoredPlan } from '../store/event-plan';
import { loadAttemptContexts, type AttemptContext } from '../store/attempt-context';
import type { EventWorkflowInput, FirstAttemptVerdict, PlannedDelivery } from '../contracts/delivery';
import { attemptFailure, verdictOf, verdictOfSuccess } from '../domain/attempt-outcome';
import { deliveryMode, type DeliveryMode } from '../domain/delivery-mode';
import { workspaceBusy, type Attempts } from './attempt.activity';

/**
 * The plan is one payload in the event's history, so each verdict's answer excerpt is cut short there (the attempt
 * row keeps all 4 KB): 100 destinations stay far under Temporal's payload limits. A test send's person reads it whole.
 */
const EXCERPT_IN_PLAN_CHARS = 256;

function forThePlan(verdict: FirstAttemptVerdict, isTest: boolean): FirstAttemptVerdict {
  const excerpt = verdict.lastAttempt?.responseExcerpt;
  if (isTest || !verdict.lastAttempt || !excerpt || excerpt.length <= EXCERPT_IN_PLAN_CHARS) return verdict;
  return { ...verdict, lastAttempt: { ...verdict.lastAttempt, responseExcerpt: excerpt.slice(0, EXCERPT_IN_PLAN_CHARS) } };
}

/**
 * A plan past this size keeps its verdicts but not their attempts' details (each attempt row still has them): a
 * marker over Temporal's 2 MB payload limit would fail the workflow after its requests went out. Without details a
 * verdict is about 100 bytes, so even 10,000 destinations fit.
 */
const PLAN_DETAIL_BUDGET_BYTES = 256 * 1024;
// A verdict with details is at most about 5 KB (a 2 KB URL, an error message, the excerpt escaped), so a plan this
// small always fits and the common event is never serialised here just to be measured.
const ALWAYS_WITHIN_BUDGET = 32;

function withinPlanBudget(deliveries: PlannedDelivery[], isTest: boolean): PlannedDelivery[] {
  if (isTest || deliveries.length <= ALWAYS_WITHIN_BUDGET || Buffer.byteLength(JSON.stringify(deliveries)) <= PLAN_DETAIL_BUDGET_BYTES) return deliveries;
  return deliveries.map((delivery) => (delivery.verdict ? { ...delivery, verdict: { ...delivery.verdict, lastAttempt: null } } : delivery));
}

function verdictOfThrown(error: unknown, mode: DeliveryMode): FirstAttemptVerdict {
  if (error instanceof ApplicationFailure) return verdictOf(attemptFailure(error.type, error.message, error.details), mode);
  return verdictOf(attemptFailure(undefined, error instanceof Error ? error.message : String(error), null), mode);
}

/**
 * A delivery an earlier run of this workflow already attempted (its workflow task was lost after the attempt was
 * recorded): what the row says stands. One due for a retry goes on in a delivery workflow, after the attempts made.
 */
function verdictOfRecorded(row: PlannedRow, now: Date): FirstAttemptVerdict | undefined {
  switch (row.status) {
    case 'succeeded':
    case 'failed':
    case 'cancelled':
    case 'superseded':
      return { kind: 'done', status: row.status, lastAttempt: null };
    case 'erased':
      return { kind: 'done', status: 'cancelled', lastAttempt: null };
    // An earlier run was refused a permit: the delivery workflow waits for the turn it was given.
    case 'queued': {
      const queuedMs = row.next_attempt_at === null ? 1 : Math.max(1, row.next_attempt_at.getTime() - now.getTime());
      return {
        kind: 'escalate',
        held: false,
        attemptsMade: row.attempt_count,
        retryInMs: null,
        lastAttempt: null,
        queuedMs,
        ...(row.next_attempt_at !== null ? { turnAtMs: row.next_attempt_at.getTime() } : {}),
      };
    }
    case 'delivering': {
      const retryInMs = row.next_attempt_at === null ? null : Math.max(0, row.next_attempt_at.getTime() - now.getTime());
      return { kind: 'escalate', held: false, attemptsMade: row.attempt_count, retryInMs, lastAttempt: null };
    }
    default:
      return undefined;
  }
}

export function createFirstAttempts(deps: { db: Db; attempts: Attempts; now: () => Date; concurrency: number }) {
  // Across every event this worker plans: a local activity per attempt used to be capped by the SDK's local-activity
  // slots, and a wide fan-out in one activity must not open more requests and database waits than that at once.
  const inFlight = pLimit(deps.concurrency);
  async function attemptAll(
    input: EventWorkflowInput,
    stored: StoredPlan,
    deliveries: PlannedDelivery[],
    due: Set<string>,
  ): Promise<Map<string, FirstAttemptVerdict>> {
    const isTest = input.test !== undefined;
    // Planning read the contexts on its way unless it took the slower path (first_match claims, a re-run). If this
    // read fails, each attempt reads its own context and reports that failure (an outage: Unsent) as its verdict.
    const contexts =
      stored.contexts ?? (await loadAttemptContexts(deps.db, input.workspaceId, input.eventId, [...due]).catch(() => new Map<string, AttemptContext>()));
    const verdicts = await Promise.all(
      deliveries
        .filter((delivery) => due.has(delivery.deliveryId))
        .map(async (delivery): Promise<[string, FirstAttemptVerdict]> => {
          // Planning capped a test send's attempts already (plan.activity.ts).
          const attempt = { deliveryId: delivery.deliveryId, workspaceId: input.workspaceId, maxAttempts: delivery.maxAttempts, ...(isTest ? { isTest } : {}) };
          try {
            const summary = await inFlight(() => deps.attempts.attemptOnce(attempt, 1, contexts.get(delivery.deliveryId)));
            return [delivery.deliveryId, forThePlan(verdictOfSuccess(summary), isTest)];
          } catch (error) {
            return [delivery.deliveryId, forThePlan(verdictOfThrown(error, deliveryMode(isTest)), isTest)];
          }
        }),
    );
    return new Map(verdicts);
  }

  /** The plan with a verdict on every delivery it attempted or found attempted; held and skipped ones carry none. */
  return async function withFirstAttempts(input: EventWorkflowInput, stored: StoredPlan, deliveries: PlannedDelivery[]): Promise<PlannedDelivery[]> {
    const recorded = new Map(
      stored.rows.flatMap((row) => {
        const verdict = verdictOfRecorded(row, deps.now());
        return verdict ? [[row.id, verdict] as const] : [];
      }),
    );
    const due = new Set(deliveries.filter((delivery) => delivery.status === 'pending').map((delivery) => delivery.deliveryId));
    const isTest = input.test !== undefined;
    // The workspace's share of inline attempts counts events: this one holds one slot for its whole fan-out.
    const eventWorkflowId = Context.current().info.workflowExecution?.workflowId ?? input.eventId;
    const gated = !isTest && due.size > 0;
    const admitted = !gated || deps.attempts.gate.tryEnter(input.workspaceId, eventWorkflowId);
    let attempted: Map<string, FirstAttemptVerdict>;
    try {
      attempted = admitted
        ? await attemptAll(input, stored, deliveries, due)
        : new Map([...due].map((id) => [id, verdictOfThrown(workspaceBusy(), deliveryMode(isTest))]));
    } finally {
      if (gated && admitted) deps.attempts.gate.leave(input.workspaceId, eventWorkflowId);
    }
    const planned = deliveries.map((delivery) => {
      const verdict = attempted.get(delivery.deliveryId) ?? recorded.get(delivery.deliveryId);
      return verdict ? { ...delivery, verdict } : delivery;
    });
    return withinPlanBudget(planned, isTest);
  };
}

export type FirstAttempts = ReturnType<typeof createFirstAttempts>;
