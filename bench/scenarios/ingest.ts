// Scenario 5, ingest only: POST /v1/events as fast as the in-flight limit allows, to a workspace with no destinations.
import { benchEventData } from '../hookline-api';
import { summarizeLatency, type LatencySummary } from '../latency';
import { runLoad, waitUntil } from '../load';
import { DRAIN_TIMEOUT_MS, type ScenarioContext, type ScenarioOutcome } from '../scenario-context';

export interface IngestResult {
  accepted: number;
  failed: number;
  firstError: string | null;
  acceptedPerSecond: number;
  /** Request → 202, which comes after the event workflow has durably started. */
  latency: LatencySummary;
  /** Until every accepted event's workflow had stored it (the worker keeps up, or catches up); null if not within the bound. */
  storedAfterMs: number | null;
  /** Events stored when the wait ended: the worker's progress against the API's acceptance. */
  stored: number;
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
  const stored = () => ctx.pg.count('SELECT count(*) AS n FROM events WHERE workspace_id = $1', [workspace.id]);
  // Bounded like the load: a worker far behind the API is reported (stored count), not waited out.
  const drained = await waitUntil(async () => (await stored()) >= load.accepted, Math.min(DRAIN_TIMEOUT_MS, 2 * ctx.options.scenarioMs), 250);
  const storedCount = await stored();
  return {
    result: {
      accepted: load.accepted,
      failed: load.failed,
      firstError: load.firstError,
      acceptedPerSecond: load.acceptedPerSecond,
      latency: summarizeLatency(load.requestMs),
      storedAfterMs: drained.timedOut ? null : drained.ms,
      stored: storedCount,
    },
    units: load.accepted,
    unitName: 'events',
    workspaceId: workspace.id,
  };
}
