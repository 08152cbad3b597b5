// Scenario 9, ordered lanes: events over many subjects to an ordered destination whose receiver fails a tenth of first tries, each subject's arriving in order.
import { performance } from 'node:perf_hooks';
import { benchEventData } from '../hookline-api';
import { round } from '../latency';
import { waitUntil } from '../load';
import { FAIL_FIRST_PATH } from '../receivers';
import { DRAIN_TIMEOUT_MS, type ScenarioContext, type ScenarioOutcome } from '../scenario-context';

export interface OrderedResult {
  subjects: number;
  eventsPerSubject: number;
  /** The receiver answers 503 to the first try of every n-th event (by seq): a retry, with its subject waiting. */
  failedFirstEvery: number;
  /** Successful receipts of an event before an earlier event of its subject (must be 0). */
  inversions: number;
  /** From the first post to the last receipt. */
  drainMs: number | null;
  /** Events received per second, first receipt to last. */
  receivedPerSecond: number;
  lost: number;
  receivedTwice: number;
}

/** Per subject, how many of its events were received before the one accepted just before them. */
function inversionsOf(lanes: string[][], firstReceipt: (eventId: string) => number | undefined): number {
  let inversions = 0;
  for (const lane of lanes) {
    for (let i = 1; i < lane.length; i++) {
      const before = firstReceipt(lane[i - 1]!);
      const after = firstReceipt(lane[i]!);
      if (before !== undefined && after !== undefined && after < before) inversions++;
    }
  }
  return inversions;
}

export async function runOrdered(ctx: ScenarioContext): Promise<ScenarioOutcome<OrderedResult> & { workspaceId: string }> {
  const quick = ctx.options.mode === 'quick';
  const subjects = quick ? 20 : 50;
  const eventsPerSubject = quick ? 10 : 20;
  const failedFirstEvery = 10;
  const workspace = await ctx.api.createWorkspace('bench ordered', [
    { name: 'ordered', url: `${ctx.receivers.origins[0]}${FAIL_FIRST_PATH}${failedFirstEvery}/ordered`, eventTypes: ['bench.ordered'] },
  ]);
  await ctx.api.patchDestination(workspace.key, workspace.destinationIds[0]!, { ordering: 'subject' });
  ctx.receivers.reset();
  const started = performance.now();
  // Each subject's sender posts its events one after another (that is the order to keep), all subjects side by side.
  const lanes = await Promise.all(
    Array.from({ length: subjects }, async (_, s) => {
      const lane: string[] = [];
      for (let n = 0; n < eventsPerSubject; n++) {
        const seq = s * eventsPerSubject + n;
        lane.push(await ctx.api.postEvent(workspace.key, 'bench.ordered', benchEventData(seq), `c_${s}`));
      }
      return lane;
    }),
  );
  const accepted = lanes.flat();
  // Each retried event holds its subject for the retry's delay: the drain is bounded by the lanes, not the load.
  const drained = await waitUntil(() => ctx.receivers.tally(accepted).lost === 0, DRAIN_TIMEOUT_MS * 4, 250);
  const { lost, twice, lastReceipt } = ctx.receivers.tally(accepted);
  const firsts = accepted.map((eventId) => ctx.receivers.receiptsOf(eventId)[0]).filter((at): at is number => at !== undefined);
  const spanMs = firsts.length > 1 ? Math.max(...firsts) - Math.min(...firsts) : 0;
  return {
    workspaceId: workspace.id,
    units: firsts.length,
    unitName: 'deliveries',
    result: {
      subjects,
      eventsPerSubject,
      failedFirstEvery,
      inversions: inversionsOf(lanes, (eventId) => ctx.receivers.receiptsOf(eventId)[0]),
      drainMs: drained.timedOut ? null : Math.round(lastReceipt - started),
      receivedPerSecond: spanMs > 0 ? round((firsts.length - 1) / (spanMs / 1000), 1) : 0,
      lost,
      receivedTwice: twice,
    },
  };
}
