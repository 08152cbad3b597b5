// Scenario 4, noisy neighbour: half the destinations answer 503 and are retried; the healthy half's latency against steady's.
import { publishedPhase, runDeliveryPhase } from '../delivery-phase';
import { latencyRatio } from '../latency';
import { waitUntil } from '../load';
import { FAILING_PATH } from '../receivers';
import { DRAIN_TIMEOUT_MS, type ScenarioContext, type ScenarioOutcome } from '../scenario-context';

const DESTINATIONS = 10;
// Above any streak this scenario can build, so a future auto-disable (issue 5) holds nothing back mid-measurement.
const FAILURE_THRESHOLD = 1_000;
const FAILING_MAX_ATTEMPTS = 4;

export interface NoisyResult {
  destinations: { healthy: number; failing: number };
  phase: ReturnType<typeof publishedPhase>;
  /** 503 answers the failing destinations gave: first attempts plus retries. */
  failingAttempts: number;
  /** Healthy latency ÷ steady's at the same total event rate (50 % of the sustained rate); 1.0 = unaffected. */
  ratioToSteady: { p50: number | null; p95: number | null; p99: number | null };
  retriesDrainedMs: number;
  retriesStillOpen: number;
}

const isFailing = (index: number) => index >= DESTINATIONS / 2;

export async function runNoisy(ctx: ScenarioContext, rate: number, steadySamples: number[]): Promise<ScenarioOutcome<NoisyResult>> {
  const origins = ctx.receivers.origins;
  const workspace = await ctx.api.createWorkspace(
    'bench noisy',
    Array.from({ length: DESTINATIONS }, (_, i) => ({
      name: `noisy ${i}`,
      url: `${origins[i % origins.length]}${isFailing(i) ? FAILING_PATH : ''}/noisy/${i}`,
      eventTypes: [`bench.noisy.d${i}`],
      failureThreshold: FAILURE_THRESHOLD,
      ...(isFailing(i) ? { maxAttempts: FAILING_MAX_ATTEMPTS } : {}),
    })),
  );
  const phase = await runDeliveryPhase(ctx.api, ctx.receivers, {
    rate,
    concurrency: ctx.options.concurrency,
    durationMs: ctx.options.scenarioMs,
    key: workspace.key,
    typeFor: (seq) => `bench.noisy.d${seq % DESTINATIONS}`,
    owedFor: (seq) => (isFailing(seq % DESTINATIONS) ? 0 : 1),
    warmupMs: ctx.options.scenarioMs / 10,
    drainTimeoutMs: DRAIN_TIMEOUT_MS,
  });
  const units = ctx.receivers.delivered;
  // Retries (1 s, 2 s, 4 s) outlive the load; let them finish so they do not bleed into the next scenario's figures.
  const open = () => ctx.pg.count("SELECT count(*) AS n FROM deliveries WHERE workspace_id = $1 AND status IN ('pending', 'delivering')", [workspace.id]);
  const drained = await waitUntil(async () => (await open()) === 0, DRAIN_TIMEOUT_MS, 250);
  return {
    result: {
      destinations: { healthy: DESTINATIONS / 2, failing: DESTINATIONS / 2 },
      phase: publishedPhase(phase),
      failingAttempts: ctx.receivers.failedAnswers,
      ratioToSteady: latencyRatio(phase.latency, steadySamples),
      retriesDrainedMs: drained.ms,
      retriesStillOpen: drained.timedOut ? await open() : 0,
    },
    units,
    unitName: 'deliveries',
    workspaceId: workspace.id,
  };
}
