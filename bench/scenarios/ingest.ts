// Scenario 5, ingest only: POST /v1/events as fast as the in-flight limit allows, then at half that rate, to a workspace with no destinations.
import { benchEventData } from '../hookline-api';
import { round, summarizeLatency, type LatencySummary } from '../latency';
import { runLoad, waitUntil } from '../load';
import { DRAIN_TIMEOUT_MS, type ScenarioContext, type ScenarioOutcome } from '../scenario-context';

export interface IngestResult {
  accepted: number;
  failed: number;
  firstError: string | null;
  acceptedPerSecond: number;
  /** Request → 202, which comes once the event and its outbox row are committed in PostgreSQL. */
  latency: LatencySummary;
  /** Until every accepted event's workflow had planned it (taken it out of the outbox); null if not within the bound. */
  storedAfterMs: number | null;
  /** Events planned when the wait ended: the relays' and workers' progress against the API's acceptance. */
  stored: number;
  /** A paced phase at 50 % of `acceptedPerSecond` (the highest rate the API sustained): request → 202 there. */
  at50?: { targetRate: number; accepted: number; failed: number; acceptedPerSecond: number; latency: LatencySummary };
}

export async function runIngest(ctx: ScenarioContext): Promise<ScenarioOutcome<IngestResult> & { workspaceId: string }> {
  const workspace = await ctx.api.createWorkspace('bench ingest', []);
  const load = await runLoad({
    rate: null,
    concurrency: ctx.options.concurrency,
    durationMs: ctx.options.scenarioMs,
    send: async (seq) => {
      await ctx.api.postEvent(workspace.key, 'bench.ingest', benchEventData(seq));
    },
  });
  // Planned: the event's workflow ran and took it out of the outbox (the API stores the event row itself).
  const stored = () =>
    ctx.pg.count('SELECT count(*) AS n FROM events e WHERE e.workspace_id = $1 AND NOT EXISTS (SELECT 1 FROM event_outbox o WHERE o.event_id = e.id)', [
      workspace.id,
    ]);
  const drainBound = Math.min(DRAIN_TIMEOUT_MS, 2 * ctx.options.scenarioMs);
  // Bounded like the load: a worker far behind the API is reported (stored count), not waited out.
  const drained = await waitUntil(async () => (await stored()) >= load.accepted, drainBound, 250);
  const storedCount = await stored();
  // Latency at full speed is queueing for the in-flight limit; at half the rate, after the catch-up, it is what one
  // request costs while the worker keeps pace.
  const halfRate = Math.max(1, load.acceptedPerSecond * 0.5);
  const half = await runLoad({
    rate: halfRate,
    concurrency: ctx.options.concurrency,
    durationMs: Math.max(2_000, Math.round(ctx.options.scenarioMs / 2)),
    send: async (seq) => {
      await ctx.api.postEvent(workspace.key, 'bench.ingest', benchEventData(load.sent + seq));
    },
  });
  const total = load.accepted + half.accepted;
  await waitUntil(async () => (await stored()) >= total, drainBound, 250);
  return {
    result: {
      accepted: load.accepted,
      failed: load.failed,
      firstError: load.firstError,
      acceptedPerSecond: load.acceptedPerSecond,
      latency: summarizeLatency(load.requestMs),
      storedAfterMs: drained.timedOut ? null : drained.ms,
      stored: storedCount,
      at50: {
        targetRate: round(halfRate),
        accepted: half.accepted,
        failed: half.failed,
        acceptedPerSecond: half.acceptedPerSecond,
        latency: summarizeLatency(half.requestMs),
      },
    },
    units: total,
    unitName: 'events',
    workspaceId: workspace.id,
  };
}
