// Scenario 7, Temporal outage: steady load at half the sustained rate while the API and the workers cannot reach Temporal; nothing refused, all delivered.
import { performance } from 'node:perf_hooks';
import { benchEventData, HooklineApiError } from '../hookline-api';
import { round, summarizeLatency, type LatencySummary } from '../latency';
import { runLoad, waitUntil } from '../load';
import { DRAIN_TIMEOUT_MS, type ScenarioContext, type ScenarioOutcome } from '../scenario-context';

export interface TemporalOutageResult {
  outageMs: number;
  targetRate: number;
  accepted: number;
  /** Requests answered 503 (any code) and any other non-202, over the whole load: both must be 0. */
  refused503: number;
  refusedOther: number;
  /** Accepted while Temporal was out of reach: what the outbox held for it. */
  acceptedDuringOutage: number;
  /** Request → 202 of the requests sent during the outage. */
  latencyDuringOutage: LatencySummary;
  /** Accepted events never received within the drain bound. */
  lost: number;
  eventsReceivedTwice: number;
  /** Temporal reachable again → the last accepted event received; null when not all were within the bound. */
  caughtUpMs: number | null;
}

export interface OutageControl {
  cut(): Promise<void>;
  restore(): Promise<void>;
}

export async function runTemporalOutage(
  ctx: ScenarioContext,
  rate: number,
  outageMs: number,
  temporal: OutageControl,
): Promise<ScenarioOutcome<TemporalOutageResult> & { workspaceId: string }> {
  const workspace = await ctx.api.createWorkspace('bench temporal outage', [
    { name: 'outage', url: `${ctx.receivers.origins[0]}/outage`, eventTypes: ['bench.outage'] },
  ]);
  ctx.receivers.reset();
  const lead = Math.max(2_000, Math.round(outageMs / 3));
  const accepted: string[] = [];
  const duringOutage: number[] = [];
  let refused503 = 0;
  let refusedOther = 0;
  // Set as the cut begins and once Temporal is back: a request sent between them is one the outbox had to hold.
  let cutAt = Infinity;
  let restoredAt = Infinity;
  const faults = (async () => {
    await new Promise((resolve) => setTimeout(resolve, lead));
    cutAt = performance.now();
    await temporal.cut();
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    await temporal.restore();
    restoredAt = performance.now();
  })();
  const load = await runLoad({
    rate,
    concurrency: ctx.options.concurrency,
    durationMs: 2 * lead + outageMs,
    send: async (seq) => {
      const sentAt = performance.now();
      try {
        accepted.push(await ctx.api.postEvent(workspace.key, 'bench.outage', benchEventData(seq)));
      } catch (error) {
        if (error instanceof HooklineApiError && error.status === 503) refused503++;
        else refusedOther++;
        throw error;
      }
      if (sentAt >= cutAt && sentAt <= restoredAt) duringOutage.push(performance.now() - sentAt);
    },
  });
  await faults;
  await waitUntil(() => ctx.receivers.delivered >= accepted.length, DRAIN_TIMEOUT_MS + outageMs, 100);

  const { lost, twice, lastReceipt } = ctx.receivers.tally(accepted);

  return {
    result: {
      outageMs,
      targetRate: round(rate),
      accepted: load.accepted,
      refused503,
      refusedOther,
      acceptedDuringOutage: duringOutage.length,
      latencyDuringOutage: summarizeLatency(duringOutage),
      lost,
      eventsReceivedTwice: twice,
      caughtUpMs: lost === 0 && accepted.length > 0 ? Math.max(0, Math.round(lastReceipt - restoredAt)) : null,
    },
    units: ctx.receivers.delivered,
    unitName: 'deliveries',
    workspaceId: workspace.id,
  };
}
