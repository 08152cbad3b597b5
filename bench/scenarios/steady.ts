// Scenario 1, steady: step the event rate up to the highest one delivered without a growing backlog, then time latency at 50 % and 90 % of it.
import { TOKEN_LIFETIME_SECONDS, TOKEN_PATH } from '../receivers';
import { publishedPhase, runDeliveryPhase, type PhaseResult } from '../delivery-phase';
import { round } from '../latency';
import { DRAIN_TIMEOUT_MS, type ScenarioContext, type ScenarioOutcome } from '../scenario-context';

const DESTINATIONS = 10;
// Low enough that a busy 2-core machine sustains it; doubling reaches a fast machine's knee in a few steps.
const FIRST_RATE = 5;
const MAX_RATE = 3_200;

export interface SteadyResult {
  destinations: number;
  steps: Array<ReturnType<typeof publishedPhase>>;
  /** The highest stepped rate (events/s, one delivery each) that was sustained; null if even the first was not. */
  maxSustainedRate: number | null;
  deliveriesPerSecond: number;
  at50: ReturnType<typeof publishedPhase>;
  at90: ReturnType<typeof publishedPhase>;
  /**
   * Every other destination authenticates with OAuth client credentials: the token requests they made over the whole
   * scenario, against one per token lifetime (an hour here) and destination, whichever worker sent.
   */
  oauth: { destinations: number; tokenRequests: number; tokenLifetimeSeconds: number; scenarioSeconds: number };
}

export interface SteadyOutcome extends ScenarioOutcome<SteadyResult> {
  /** The rate later scenarios run at, and the phases' samples hot and noisy-neighbour compare with. */
  referenceRate: number;
  at50Samples: number[];
  at90Samples: number[];
}

export async function runSteady(ctx: ScenarioContext): Promise<SteadyOutcome> {
  const origins = ctx.receivers.origins;
  const workspace = await ctx.api.createWorkspace(
    'bench steady',
    Array.from({ length: DESTINATIONS }, (_, i) => ({
      name: `steady ${i}`,
      url: `${origins[i % origins.length]}/steady/${i}`,
      eventTypes: [`bench.steady.d${i}`],
      ...(i % 2 === 1
        ? { oauth: { token_url: `${origins[i % origins.length]}${TOKEN_PATH}`, client_id: `steady-${i}`, client_secret: 'bench-client-secret' } }
        : {}),
    })),
  );
  const tokenRequestsBefore = ctx.receivers.tokenRequests;
  const startedAt = Date.now();
  const { scenarioMs, concurrency } = ctx.options;
  const phase = (rate: number, durationMs: number, warmupMs: number) =>
    runDeliveryPhase(ctx.api, ctx.receivers, {
      rate,
      concurrency,
      durationMs,
      key: workspace.key,
      typeFor: (seq) => `bench.steady.d${seq % DESTINATIONS}`,
      owedFor: () => 1,
      warmupMs,
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
    });

  // Doubling finds the knee quickly; one bisection between the last good and the first bad step refines it.
  const stepMs = Math.min(5_000, Math.max(2_000, Math.round(scenarioMs / 6)));
  const budgetMs = Math.max(scenarioMs, 5 * stepMs);
  const steps: PhaseResult[] = [];
  let good: PhaseResult | null = null;
  let bad: PhaseResult | null = null;
  let rate = FIRST_RATE;
  let spentMs = 0;
  let units = 0;
  while (spentMs + stepMs <= budgetMs && rate <= MAX_RATE) {
    const step = await phase(rate, stepMs, 0);
    steps.push(step);
    units += ctx.receivers.delivered;
    spentMs += stepMs;
    if (step.sustained) good = step;
    else bad = step;
    if (bad === null) rate *= 2;
    else if (good === null || bad.targetRate! - good.targetRate! <= good.targetRate! * 0.25) break;
    else rate = round((good.targetRate! + bad.targetRate!) / 2, 0);
    if (bad !== null && steps.some((s) => s.targetRate === rate)) break;
  }

  /*
   * The latency phases (and hot and noisy) run at fractions of what the highest sustained step delivered, not of
   * its target: a 5 s step cannot tell a few per cent of overload from none, and 90 % of a rate just past the knee
   * would measure a growing queue. With nothing sustained, the first step's delivered rate stands in.
   */
  const reference = Math.max(1, good?.deliveredPerSecond ?? steps[0]?.deliveredPerSecond ?? 1);
  const latencyMs = Math.max(2_000, Math.round(scenarioMs / 2));
  const at50 = await phase(reference * 0.5, latencyMs, latencyMs / 10);
  units += ctx.receivers.delivered;
  const at90 = await phase(reference * 0.9, latencyMs, latencyMs / 10);
  units += ctx.receivers.delivered;
  return {
    result: {
      destinations: DESTINATIONS,
      steps: steps.map(publishedPhase),
      maxSustainedRate: good?.targetRate ?? null,
      deliveriesPerSecond: good?.deliveredPerSecond ?? steps[0]?.deliveredPerSecond ?? 0,
      at50: publishedPhase(at50),
      at90: publishedPhase(at90),
      oauth: {
        destinations: Math.floor(DESTINATIONS / 2),
        tokenRequests: ctx.receivers.tokenRequests - tokenRequestsBefore,
        tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS,
        scenarioSeconds: Math.round((Date.now() - startedAt) / 1000),
      },
    },
    units,
    unitName: 'deliveries',
    workspaceId: workspace.id,
    referenceRate: reference,
    at50Samples: at50.samples,
    at90Samples: at90.samples,
  };
}
