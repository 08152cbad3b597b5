// Scenario 3, hot destination: every event to one destination at 90 % of steady's sustained rate; and the health workflow's lag.
import { publishedPhase, runDeliveryPhase } from '../delivery-phase';
import { probeHealthLag, type HealthLag } from '../health-lag';
import { latencyRatio } from '../latency';
import { DRAIN_TIMEOUT_MS, type ScenarioContext, type ScenarioOutcome } from '../scenario-context';

export interface HotResult {
  phase: ReturnType<typeof publishedPhase>;
  /** Latency ÷ steady's at the same rate (its 90 % phase, over ten destinations); 1.0 = one destination costs nothing extra. */
  ratioToSteady: { p50: number | null; p95: number | null; p99: number | null };
  healthLag: HealthLag;
}

/** `rate` is steady's 90 % rate: at the knee itself run-to-run noise decides "sustained", one step below it does not. */
export async function runHot(ctx: ScenarioContext, rate: number, steadySamples: number[]): Promise<ScenarioOutcome<HotResult>> {
  const workspace = await ctx.api.createWorkspace('bench hot', [
    { name: 'hot', url: `${ctx.receivers.origins[0]}/hot`, eventTypes: ['bench.hot'] },
  ]);
  const startedAt = Date.now();
  const phase = await runDeliveryPhase(ctx.api, ctx.receivers, {
    rate,
    concurrency: ctx.options.concurrency,
    durationMs: ctx.options.scenarioMs,
    key: workspace.key,
    typeFor: () => 'bench.hot',
    owedFor: () => 1,
    warmupMs: ctx.options.scenarioMs / 10,
    drainTimeoutMs: DRAIN_TIMEOUT_MS,
  });
  const units = ctx.receivers.delivered;
  const healthLag = await probeHealthLag(ctx.temporal, workspace.destinationIds[0]!, startedAt);
  return {
    result: { phase: publishedPhase(phase), ratioToSteady: latencyRatio(phase.latency, steadySamples), healthLag },
    units,
    unitName: 'deliveries',
  };
}
