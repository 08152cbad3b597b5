// Scenario 3, hot destination: every event to one destination at the steady scenario's sustained rate; and the health workflow's lag.
import { publishedPhase, runDeliveryPhase } from '../delivery-phase';
import { probeHealthLag, type HealthLag } from '../health-lag';
import { DRAIN_TIMEOUT_MS, type ScenarioContext, type ScenarioOutcome } from '../scenario-context';

export interface HotResult {
  phase: ReturnType<typeof publishedPhase>;
  healthLag: HealthLag;
}

export async function runHot(ctx: ScenarioContext, rate: number): Promise<ScenarioOutcome<HotResult>> {
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
  return { result: { phase: publishedPhase(phase), healthLag }, units, unitName: 'deliveries' };
}
