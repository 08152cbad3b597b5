// Scenario 3, hot destination: every event to one destination at 90 % of steady's rate, a few failing; and the health workflow's lag.
import { publishedPhase, runDeliveryPhase } from '../delivery-phase';
import { probeHealthLag, type HealthLag } from '../health-lag';
import { latencyRatio } from '../latency';
import { FLAKY_PATH } from '../receivers';
import { DRAIN_TIMEOUT_MS, type ScenarioContext, type ScenarioOutcome } from '../scenario-context';

/*
 * Every FAIL_EVERY-th event is answered 503 and, with one attempt, fails for good. The health protocol signals
 * the destination's health workflow on final failures and when a streak ends, so the failures are what put load
 * on its signal path; an all-success destination never signals it. The threshold is out of reach so it never pauses.
 */
const FAIL_EVERY = 10;
const FAILURE_THRESHOLD = 1_000;

export interface HotResult {
  /** Share of events answered 503 (final failures: one attempt each). */
  failingShare: number;
  failedDeliveries: number;
  phase: ReturnType<typeof publishedPhase>;
  /** Latency ÷ steady's at the same rate (its 90 % phase, over ten destinations); 1.0 = one destination costs nothing extra. */
  ratioToSteady: { p50: number | null; p95: number | null; p99: number | null };
  healthLag: HealthLag;
}

/** `rate` is steady's 90 % rate: at the knee itself run-to-run noise decides "sustained", one step below it does not. */
export async function runHot(ctx: ScenarioContext, rate: number, steadySamples: number[]): Promise<ScenarioOutcome<HotResult>> {
  const workspace = await ctx.api.createWorkspace('bench hot', [
    {
      name: 'hot',
      url: `${ctx.receivers.origins[0]}${FLAKY_PATH}${FAIL_EVERY}/hot`,
      eventTypes: ['bench.hot'],
      maxAttempts: 1,
      failureThreshold: FAILURE_THRESHOLD,
    },
  ]);
  const startedAt = Date.now();
  const phase = await runDeliveryPhase(ctx.api, ctx.receivers, {
    rate,
    concurrency: ctx.options.concurrency,
    durationMs: ctx.options.scenarioMs,
    key: workspace.key,
    typeFor: () => 'bench.hot',
    owedFor: (seq) => (seq % FAIL_EVERY === 0 ? 0 : 1),
    warmupMs: ctx.options.scenarioMs / 10,
    drainTimeoutMs: DRAIN_TIMEOUT_MS,
  });
  const units = ctx.receivers.delivered;
  const healthLag = await probeHealthLag(ctx.temporal, workspace.destinationIds[0]!, startedAt);
  return {
    result: {
      failingShare: 1 / FAIL_EVERY,
      failedDeliveries: ctx.receivers.failedAnswers,
      phase: publishedPhase(phase),
      ratioToSteady: latencyRatio(phase.latency, steadySamples),
      healthLag,
    },
    units,
    unitName: 'deliveries',
    workspaceId: workspace.id,
  };
}
