// Scenario 2, fan-out: one event to 50 destinations, one event at a time; how long until all 50 received it.
import { performance } from 'node:perf_hooks';
import { benchEventData } from '../hookline-api';
import { ratePerSecond, summarizeLatency, type LatencySummary } from '../latency';
import { ReceiverTimeoutError } from '../receivers';
import type { ScenarioContext, ScenarioOutcome } from '../scenario-context';

export const FANOUT_DESTINATIONS = 50;
const PER_EVENT_TIMEOUT_MS = 30_000;
const MIN_EVENTS = 3;

export interface FanoutResult {
  destinations: number;
  events: number;
  timedOut: number;
  /** accepted → the last of the 50 deliveries received */
  allReceived: LatencySummary;
  /** accepted → the first delivery received */
  firstReceived: LatencySummary;
  deliveriesPerSecond: number;
}

export async function runFanout(ctx: ScenarioContext): Promise<ScenarioOutcome<FanoutResult>> {
  const origins = ctx.receivers.origins;
  // One origin per destination, as fifty customers' endpoints would be: no shared connection pool.
  const workspace = await ctx.api.createWorkspace(
    'bench fanout',
    Array.from({ length: FANOUT_DESTINATIONS }, (_, i) => ({
      name: `fanout ${i}`,
      url: `${origins[i % origins.length]}/fanout/${i}`,
      eventTypes: ['bench.fanout'],
    })),
  );
  ctx.receivers.reset();
  const all: number[] = [];
  const first: number[] = [];
  let timedOut = 0;
  let seq = 0;
  const start = performance.now();
  // A few events even when one takes longer than the scenario, but never past three scenario lengths.
  const more = () => {
    const elapsed = performance.now() - start;
    return elapsed < ctx.options.scenarioMs || (seq < MIN_EVENTS && elapsed < 3 * ctx.options.scenarioMs);
  };
  while (more()) {
    const eventId = await ctx.api.postEvent(workspace.key, 'bench.fanout', benchEventData(seq++));
    const acceptedAt = performance.now();
    try {
      const times = await ctx.receivers.whenReceived(eventId, FANOUT_DESTINATIONS, PER_EVENT_TIMEOUT_MS);
      all.push(Math.max(0, Math.max(...times) - acceptedAt));
      first.push(Math.max(0, Math.min(...times) - acceptedAt));
    } catch (error) {
      if (!(error instanceof ReceiverTimeoutError)) throw error;
      timedOut++;
    }
  }
  const elapsedMs = performance.now() - start;
  return {
    result: {
      destinations: FANOUT_DESTINATIONS,
      events: seq,
      timedOut,
      allReceived: summarizeLatency(all),
      firstReceived: summarizeLatency(first),
      deliveriesPerSecond: ratePerSecond(ctx.receivers.delivered, elapsedMs),
    },
    units: ctx.receivers.delivered,
    unitName: 'deliveries',
    workspaceId: workspace.id,
  };
}
