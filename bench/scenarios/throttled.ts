// Scenario 8, throttled receiver: a queue behind a rate-limited destination drains at its limit, and healthy destinations (of the same workspace and another) keep the latency they had just before, beside a 1/s destination holding 1,000 queued.
import { performance } from 'node:perf_hooks';
import { publishedPhase, runDeliveryPhase } from '../delivery-phase';
import { benchEventData, type BenchWorkspace } from '../hookline-api';
import { mostInAnyWindow } from '../../test/support/arrivals';
import { latencyRatio, round } from '../latency';
import { waitUntil } from '../load';
import { DRAIN_TIMEOUT_MS, type ScenarioContext, type ScenarioOutcome } from '../scenario-context';

export interface ThrottledResult {
  limit: { requests: number; perSeconds: number; burst: number };
  queuedEvents: number;
  /** The most requests the throttled receiver got in any one-second window (must be ≤ requests + burst, per second). */
  peakPerSecond: number;
  /** Requests received ÷ time from the first to the last: the drain rate against the limit. */
  averagePerSecond: number;
  drainMs: number | null;
  lost: number;
  receivedTwice: number;
  /** The isolation half: a destination limited to 1 request/s holding this many queued while the healthy load ran. */
  isolationQueued: number;
  /** Deliveries of it still queued when the healthy load started. */
  queuedAtHealthyStart: number;
  /** From every row saying queued to the last event workflow having handed its delivery over (and 2 s more). */
  handOverMs: number;
  /**
   * The same healthy load (half to a destination of the throttled workspace, half to another workspace's) just before
   * the queue was made: the baseline in the same run, on a server that has lived through the same scenarios.
   */
  baseline: ReturnType<typeof publishedPhase>;
  /** That load beside the queue, against its baseline (the acceptance figure) and against steady at the same rate. */
  healthy: ReturnType<typeof publishedPhase>;
  healthyRatioToBaseline: { p50: number | null; p95: number | null; p99: number | null };
  healthyRatioToSteady: { p50: number | null; p95: number | null; p99: number | null };
}

async function limitedWorkspace(ctx: ScenarioContext, name: string, path: string, limit: ThrottledResult['limit']): Promise<BenchWorkspace> {
  const workspace = await ctx.api.createWorkspace(name, [{ name, url: `${ctx.receivers.origins[0]}${path}`, eventTypes: ['bench.throttled'] }]);
  await ctx.api.patchDestination(workspace.key, workspace.destinationIds[0]!, {
    rate_limit: { requests: limit.requests, per_seconds: limit.perSeconds, burst: limit.burst },
  });
  return workspace;
}

async function postAll(ctx: ScenarioContext, key: string, count: number): Promise<string[]> {
  const accepted: string[] = [];
  for (let seq = 0; seq < count; seq++) accepted.push(await ctx.api.postEvent(key, 'bench.throttled', benchEventData(seq)));
  return accepted;
}

/**
 * The isolation half: the queue is in place before the healthy load starts, so what is measured is a neighbour's queue,
 * not its ingestion (a burst of any 1,000 events takes these two cores for a while, limited or not; scenario 6 measures that).
 * The healthy load alternates between a healthy destination of the throttled workspace and one of another workspace.
 */
async function isolation(ctx: ScenarioContext, healthyRate: number, steadySamples: number[]) {
  const queued = ctx.options.mode === 'quick' ? 300 : 1_000;
  const [slowOrigin, healthyOrigin] = [ctx.receivers.origins[0]!, ctx.receivers.origins[1 % ctx.receivers.origins.length]!];
  const slow = await ctx.api.createWorkspace('bench throttled 1/s', [
    { name: 'bench throttled 1/s', url: `${slowOrigin}/throttled-slow`, eventTypes: ['bench.throttled'] },
    { name: 'healthy, same workspace', url: `${healthyOrigin}/healthy-same`, eventTypes: ['bench.healthy'] },
  ]);
  await ctx.api.patchDestination(slow.key, slow.destinationIds[0]!, { rate_limit: { requests: 1, per_seconds: 1, burst: 0 } });
  const neighbour = await ctx.api.createWorkspace('bench throttled neighbour', [
    { name: 'healthy', url: `${healthyOrigin}/healthy`, eventTypes: ['bench.healthy'] },
  ]);
  const healthyLoad = () =>
    runDeliveryPhase(ctx.api, ctx.receivers, {
      rate: healthyRate,
      concurrency: ctx.options.concurrency,
      durationMs: ctx.options.scenarioMs,
      key: neighbour.key,
      keyFor: (seq) => (seq % 2 === 0 ? neighbour.key : slow.key),
      typeFor: () => 'bench.healthy',
      owedFor: () => 1,
      warmupMs: 1_000,
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
      keepReceipts: true,
    });
  ctx.receivers.reset();
  const baseline = await healthyLoad();
  const accepted = await postAll(ctx, slow.key, queued);
  let queuedAtHealthyStart = 0;
  await waitUntil(
    async () => {
      queuedAtHealthyStart = await ctx.api.queuedDeliveries(slow.key, slow.destinationIds[0]!);
      return queuedAtHealthyStart >= ctx.receivers.tally(accepted).lost;
    },
    DRAIN_TIMEOUT_MS,
    250,
  );
  // The rows say queued as soon as each first attempt is refused, but the event workflows then still hand each delivery
  // to a workflow of its own (a child start, its first task, its timer): the queue is in place once none is left.
  const handedOverFrom = performance.now();
  await waitUntil(
    async () =>
      Number(
        (await ctx.temporal.workflow.count(`HooklineWorkspaceId = "${slow.id}" AND WorkflowType = "deliverEventWorkflow" AND ExecutionStatus = "Running"`))
          .count,
      ) === 0,
    DRAIN_TIMEOUT_MS,
    250,
  );
  // The last children's first tasks (a timer each) come just after their parents close.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const handOverMs = Math.round(performance.now() - handedOverFrom);
  const phase = await healthyLoad();
  // The rest of the 1/s queue drains in the background: a request a second, a few actions each.
  return {
    queued,
    queuedAtHealthyStart,
    handOverMs,
    baseline,
    phase,
    toBaseline: latencyRatio(phase.latency, baseline.samples),
    toSteady: latencyRatio(phase.latency, steadySamples),
  };
}

export async function runThrottled(
  ctx: ScenarioContext,
  healthyRate: number,
  steadySamples: number[],
): Promise<ScenarioOutcome<ThrottledResult> & { workspaceId: string }> {
  const quick = ctx.options.mode === 'quick';
  const isolated = await isolation(ctx, healthyRate, steadySamples);

  // The drain half: a burst to a destination limited to 10/s (20/s quick) drains at the limit, never over it.
  const limit = { requests: quick ? 20 : 10, perSeconds: 1, burst: 0 };
  const queuedEvents = quick ? 400 : 1_000;
  const throttled = await limitedWorkspace(ctx, 'bench throttled', '/throttled', limit);
  const burstStartedAt = performance.now();
  const accepted = await postAll(ctx, throttled.key, queuedEvents);
  const drainBoundMs = (queuedEvents / limit.requests) * 1_000 * 3 + DRAIN_TIMEOUT_MS;
  const drained = await waitUntil(() => ctx.receivers.tally(accepted).lost === 0, drainBoundMs, 250);
  const { lost, twice, lastReceipt } = ctx.receivers.tally(accepted);
  const times = accepted.flatMap((eventId) => ctx.receivers.receiptsOf(eventId));
  const spanMs = times.length > 1 ? Math.max(...times) - Math.min(...times) : 0;
  return {
    workspaceId: throttled.id,
    units: isolated.baseline.events + isolated.phase.events + times.length,
    unitName: 'deliveries',
    result: {
      limit,
      queuedEvents,
      peakPerSecond: mostInAnyWindow(times, 1_000),
      averagePerSecond: spanMs > 0 ? round((times.length - 1) / (spanMs / 1000), 2) : 0,
      drainMs: drained.timedOut ? null : Math.round(lastReceipt - burstStartedAt),
      lost,
      receivedTwice: twice,
      isolationQueued: isolated.queued,
      queuedAtHealthyStart: isolated.queuedAtHealthyStart,
      handOverMs: isolated.handOverMs,
      baseline: publishedPhase(isolated.baseline),
      healthy: publishedPhase(isolated.phase),
      healthyRatioToBaseline: isolated.toBaseline,
      healthyRatioToSteady: isolated.toSteady,
    },
  };
}
