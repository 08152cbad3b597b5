// Scenario 8, throttled receiver: a burst to a rate-limited destination drains at its limit while a healthy destination of another workspace keeps its latency.
import { performance } from 'node:perf_hooks';
import { publishedPhase, runDeliveryPhase } from '../delivery-phase';
import { benchEventData } from '../hookline-api';
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
  /** The healthy destination's latency while the queue drained, against steady's at the same rate. */
  healthy: ReturnType<typeof publishedPhase>;
  healthyRatioToSteady: { p50: number | null; p95: number | null; p99: number | null };
}

function mostInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

export async function runThrottled(
  ctx: ScenarioContext,
  healthyRate: number,
  steadySamples: number[],
): Promise<ScenarioOutcome<ThrottledResult> & { workspaceId: string }> {
  const quick = ctx.options.mode === 'quick';
  const limit = { requests: quick ? 20 : 10, perSeconds: 1, burst: 0 };
  const queuedEvents = quick ? 200 : 1_000;
  const throttled = await ctx.api.createWorkspace('bench throttled', [
    { name: 'throttled', url: `${ctx.receivers.origins[0]}/throttled`, eventTypes: ['bench.throttled'] },
  ]);
  await ctx.api.patchDestination(throttled.key, throttled.destinationIds[0]!, {
    rate_limit: { requests: limit.requests, per_seconds: limit.perSeconds, burst: limit.burst },
  });
  const origins = ctx.receivers.origins;
  const healthy = await ctx.api.createWorkspace('bench throttled neighbour', [
    { name: 'healthy', url: `${origins[1 % origins.length]}/healthy`, eventTypes: ['bench.healthy'] },
  ]);
  const accepted: string[] = [];
  let burstStartedAt = 0;
  // The phase resets the receivers as it starts: the burst follows a moment later, while the healthy load runs.
  const burst = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    burstStartedAt = performance.now();
    for (let seq = 0; seq < queuedEvents; seq++) accepted.push(await ctx.api.postEvent(throttled.key, 'bench.throttled', benchEventData(seq)));
  })();
  const phase = await runDeliveryPhase(ctx.api, ctx.receivers, {
    rate: healthyRate,
    concurrency: ctx.options.concurrency,
    // The queue takes queuedEvents / rate seconds to drain; the healthy load runs through most of it.
    durationMs: Math.min(ctx.options.scenarioMs, (queuedEvents / limit.requests) * 800),
    key: healthy.key,
    typeFor: () => 'bench.healthy',
    owedFor: () => 1,
    warmupMs: 1_000,
    drainTimeoutMs: DRAIN_TIMEOUT_MS,
  });
  await burst;
  const drainBoundMs = (queuedEvents / limit.requests) * 1_000 * 3 + DRAIN_TIMEOUT_MS;
  const drained = await waitUntil(() => ctx.receivers.tally(accepted).lost === 0, drainBoundMs, 250);
  const { lost, twice, lastReceipt } = ctx.receivers.tally(accepted);
  const times = accepted.flatMap((eventId) => ctx.receivers.receiptsOf(eventId));
  const spanMs = times.length > 1 ? Math.max(...times) - Math.min(...times) : 0;
  return {
    workspaceId: throttled.id,
    units: phase.events + times.length,
    unitName: 'deliveries',
    result: {
      limit,
      queuedEvents,
      peakPerSecond: mostInAnyWindow(times, 1_000),
      averagePerSecond: spanMs > 0 ? round((times.length - 1) / (spanMs / 1000), 2) : 0,
      drainMs: drained.timedOut ? null : Math.round(lastReceipt - burstStartedAt),
      lost,
      receivedTwice: twice,
      healthy: publishedPhase(phase),
      healthyRatioToSteady: latencyRatio(phase.latency, steadySamples),
    },
  };
}
