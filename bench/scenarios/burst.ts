// Scenario 6, burst: a fixed number of events posted as fast as the API accepts them, then drained; nothing may be lost.
import { performance } from 'node:perf_hooks';
import { benchEventData } from '../hookline-api';
import { ratePerSecond, round } from '../latency';
import { waitUntil } from '../load';
import type { ScenarioContext, ScenarioOutcome } from '../scenario-context';

const DESTINATIONS = 10;
/** The drain gives up when nothing arrived for this long: a stalled pipeline is reported, not waited out. */
const STALL_MS = 30_000;

export interface BurstResult {
  events: number;
  destinations: number;
  accepted: number;
  failed: number;
  firstError: string | null;
  /** First request sent → last 202. */
  acceptMs: number;
  acceptedPerSecond: number;
  /** First 202 → last delivery received; null when not every accepted event was received within the bound. */
  drainMs: number | null;
  /** Deliveries received per second from the first 202 to the last receipt. */
  deliveredPerSecond: number;
  /** Highest accepted − delivered seen (sampled every 100 ms, and at each 202). */
  peakBacklog: number;
  /** Accepted events never received within the bound. */
  lost: number;
  /** Requests carrying a webhook-id already received (a redelivery of the same delivery). */
  duplicateRequests: number;
  /** Accepted events received under more than one webhook-id (a second delivery of the same event). */
  eventsReceivedTwice: number;
  drainTimedOut: boolean;
  drainBoundMs: number;
}

/** The drain's bound: long enough for a full run's 5,000 events at this machine's rate, never past ten minutes. */
export function burstDrainBoundMs(scenarioMs: number): number {
  return Math.min(600_000, Math.max(60_000, 20 * scenarioMs));
}

/** `events` and the drain bound come from the options (5,000 in a full run, fewer in quick mode). */
export async function runBurst(ctx: ScenarioContext, events: number, drainBoundMs: number): Promise<ScenarioOutcome<BurstResult> & { workspaceId: string }> {
  const origins = ctx.receivers.origins;
  const workspace = await ctx.api.createWorkspace(
    'bench burst',
    Array.from({ length: DESTINATIONS }, (_, i) => ({
      name: `burst ${i}`,
      url: `${origins[i % origins.length]}/burst/${i}`,
      eventTypes: [`bench.burst.d${i}`],
    })),
  );
  ctx.receivers.reset();
  const accepted: string[] = [];
  let failed = 0;
  let firstError: string | null = null;
  let peakBacklog = 0;
  let firstAcceptedAt: number | null = null;
  let lastAcceptedAt = 0;
  const track = () => {
    peakBacklog = Math.max(peakBacklog, accepted.length - ctx.receivers.delivered);
  };
  const sampler = setInterval(track, 100);

  const start = performance.now();
  let next = 0;
  // Closed loop at the bench's concurrency, unpaced: each client sends its next event as soon as the last is answered.
  const client = async () => {
    for (let seq = next++; seq < events; seq = next++) {
      try {
        accepted.push(await ctx.api.postEvent(workspace.key, `bench.burst.d${seq % DESTINATIONS}`, benchEventData(seq)));
        lastAcceptedAt = performance.now();
        firstAcceptedAt ??= lastAcceptedAt;
        track();
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: ctx.options.concurrency }, client));
    // Bounded twice: by the overall bound, and by no progress for STALL_MS.
    let lastCount = ctx.receivers.delivered;
    let lastProgress = performance.now();
    await waitUntil(
      () => {
        if (ctx.receivers.delivered !== lastCount) {
          lastCount = ctx.receivers.delivered;
          lastProgress = performance.now();
        }
        return ctx.receivers.delivered >= accepted.length || performance.now() - lastProgress > STALL_MS;
      },
      drainBoundMs,
      100,
    );
  } finally {
    clearInterval(sampler);
  }
  track();

  const { lost, twice, lastReceipt } = ctx.receivers.tally(accepted);
  const allReceived = lost === 0 && accepted.length > 0;
  const from = firstAcceptedAt ?? start;
  return {
    result: {
      events,
      destinations: DESTINATIONS,
      accepted: accepted.length,
      failed,
      firstError,
      acceptMs: Math.round(lastAcceptedAt - start),
      acceptedPerSecond: ratePerSecond(accepted.length, lastAcceptedAt - start),
      drainMs: allReceived ? Math.round(lastReceipt - from) : null,
      deliveredPerSecond: ratePerSecond(ctx.receivers.delivered, (allReceived ? lastReceipt : performance.now()) - from),
      peakBacklog,
      lost,
      duplicateRequests: ctx.receivers.duplicates,
      eventsReceivedTwice: twice,
      drainTimedOut: !allReceived,
      drainBoundMs: round(drainBoundMs, 0),
    },
    units: ctx.receivers.delivered,
    unitName: 'deliveries',
    workspaceId: workspace.id,
  };
}
