// One measured phase of event load through the API: accepted→received latency, delivered rate and backlog growth.
import { performance } from 'node:perf_hooks';
import { benchEventData, type HooklineApi } from './hookline-api';
import { backlogSlopePerSecond, ratePerSecond, round, summarizeLatency, type LatencySummary } from './latency';
import { runLoad, waitUntil } from './load';
import type { ReceiverFarm } from './receivers';

export interface PhaseOptions {
  rate: number | null;
  concurrency: number;
  durationMs: number;
  /** The workspace key and, per sequence number, the event type and how many healthy deliveries it owes. */
  key: string;
  /** Spreads the load over several workspaces: the key of each event (default `key`). */
  keyFor?: (seq: number) => string;
  typeFor: (seq: number) => string;
  owedFor: (seq: number) => number;
  /** Events accepted in this first slice are delivered but left out of the latency figures (connection warm-up). */
  warmupMs: number;
  drainTimeoutMs: number;
  /**
   * Keep the receipts of what came before (another workspace's queue still draining) and count this phase's own
   * deliveries by its events, not by everything the receivers got.
   */
  keepReceipts?: boolean;
}

export interface PhaseResult {
  targetRate: number | null;
  events: number;
  failedRequests: number;
  firstError: string | null;
  acceptedPerSecond: number;
  /** Deliveries received while the load ran, per second of load. */
  deliveredPerSecond: number;
  /** Backlog (owed − received) growth per second over the phase's second half. */
  backlogSlopePerSecond: number;
  backlogAtEnd: number;
  drainMs: number;
  undelivered: number;
  /** Whether the target rate was accepted (≥ 90 %) and delivered without a growing backlog, ending under 2 s behind. */
  sustained: boolean;
  latency: LatencySummary;
  requestLatency: LatencySummary;
  /** Raw accepted→received samples, for comparisons between phases; not written to the results. */
  samples: number[];
  /** Raw POST → 202 samples, likewise. */
  requestSamples: number[];
}

export async function runDeliveryPhase(api: HooklineApi, receivers: ReceiverFarm, options: PhaseOptions): Promise<PhaseResult> {
  if (!options.keepReceipts) receivers.reset();
  const accepted = new Map<string, number>();
  let owed = 0;
  const delivered = options.keepReceipts
    ? () => [...accepted.keys()].reduce((sum, eventId) => sum + receivers.receiptsOf(eventId).length, 0)
    : () => receivers.delivered;
  const start = performance.now();
  const load = await runLoad({
    rate: options.rate,
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    send: async (seq) => {
      const eventId = await api.postEvent(options.keyFor?.(seq) ?? options.key, options.typeFor(seq), benchEventData(seq));
      accepted.set(eventId, performance.now());
      owed += options.owedFor(seq);
    },
    backlog: () => owed - delivered(),
  });
  const loadEnd = start + load.elapsedMs;
  const backlogAtEnd = owed - delivered();
  const drain = await waitUntil(() => delivered() >= owed, options.drainTimeoutMs);

  const samples: number[] = [];
  let deliveredDuringLoad = 0;
  for (const [eventId, acceptedAt] of accepted) {
    for (const receivedAt of receivers.receiptsOf(eventId)) {
      if (receivedAt <= loadEnd) deliveredDuringLoad++;
      // A receipt can beat the 202 back to the generator; that counts as zero, not as a negative latency.
      if (acceptedAt - start >= options.warmupMs) samples.push(Math.max(0, receivedAt - acceptedAt));
    }
  }
  const slope = backlogSlopePerSecond(load.backlog.filter((sample) => sample.t >= options.durationMs / 2));
  const target = options.rate;
  // Over the second half the backlog may grow by 10 % of what arrived, or by 3 deliveries: at a few events/s a
  // single late delivery is not a trend, and a short quick-mode step holds only a handful of samples.
  const halfSeconds = options.durationMs / 2000;
  const allowedSlope = target === null ? 0 : Math.max(0.1 * target, 3 / halfSeconds);
  // A backlog that stopped growing after an early stall is still seconds of lag: more than 2 s of events is not sustained.
  const allowedBacklog = target === null ? 0 : Math.max(2 * target, 3);
  const sustained =
    load.failed === 0 &&
    !drain.timedOut &&
    (target === null || (load.acceptedPerSecond >= 0.9 * target && slope <= allowedSlope && backlogAtEnd <= allowedBacklog));
  return {
    targetRate: target === null ? null : round(target),
    events: load.accepted,
    failedRequests: load.failed,
    firstError: load.firstError,
    acceptedPerSecond: load.acceptedPerSecond,
    deliveredPerSecond: ratePerSecond(deliveredDuringLoad, load.elapsedMs),
    backlogSlopePerSecond: slope,
    backlogAtEnd,
    drainMs: drain.ms,
    undelivered: Math.max(0, owed - delivered()),
    sustained,
    latency: summarizeLatency(samples),
    requestLatency: summarizeLatency(load.requestMs),
    samples,
    requestSamples: load.requestMs,
  };
}

/** The phase without its raw samples, as it goes into the results file. */
export function publishedPhase(phase: PhaseResult): Omit<PhaseResult, 'samples' | 'requestSamples'> {
  const { samples: _samples, requestSamples: _requestSamples, ...rest } = phase;
  return rest;
}
