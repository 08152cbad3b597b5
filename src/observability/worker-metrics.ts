// The worker's Prometheus metrics: attempts, final deliveries, latency, health signals, auto-disables, event starts and the backlog.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FleetGauges } from '../store/fleet';
import { OUTCOME_CLASSES } from './outcome-class';

/*
 * Cardinality: no metric carries a workspace or destination id except the `hookline_destination_*` gauges
 * (failure streak, queue, push-back) and the client certificate expiry gauge, each holding at most FAILURE_STREAK_TOP_N series (the worst destinations right now), so the series count is
 * fixed whatever the number of tenants. Per-destination numbers are in GET /v1/destinations/{id}/stats.
 */
export const FAILURE_STREAK_TOP_N = 10;

// From a fast receiver on the same network to the default 30 s deadline.
const ATTEMPT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// Accepted → delivered spans the first attempt (sub-second) to the end of the retry schedule (about a day).
const DELIVERY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 7200, 21_600, 86_400];

export const START_RESULTS = ['eager', 'matched', 'duplicate', 'deferred'] as const;
export type StartResult = (typeof START_RESULTS)[number];

export type HealthSignalKind = 'failure' | 'recovery' | 'gone';

export interface WorkerMetrics {
  registry: Registry;
  attempts: Counter<'outcome'>;
  attemptDuration: Histogram<'outcome'>;
  deliveries: Counter<'status'>;
  deliveryLatency: Histogram;
  healthSignals: Counter<'kind'>;
  autoDisabled: Counter;
  eventStarts: Counter<'result'>;
  /** What the purge removed: payloads (kept records lost their bodies) or whole records, by table. */
  purgedRows: Counter<'table' | 'kind'>;
  purgedBytes: Counter<'table' | 'kind'>;
}

/** Gauges read from PostgreSQL at scrape time: the state of the whole fleet, the same from every worker (use max()). */
function registerFleetGauges(registry: Registry, fleet: FleetGauges, onError: (error: unknown) => void): void {
  // One read per scrape for all three, started by whichever gauge is collected first (prom-client awaits collect).
  let pending: Promise<void> | null = null;
  const refresh = () => {
    pending ??= (async () => {
      try {
        const snapshot = await fleet.read(FAILURE_STREAK_TOP_N);
        open.reset();
        for (const status of ['pending', 'delivering', 'held'] as const) open.set({ status }, snapshot.openDeliveries[status] ?? 0);
        destinations.reset();
        for (const status of ['active', 'inactive', 'auto_disabled'] as const) destinations.set({ status }, snapshot.destinations[status] ?? 0);
        streaks.reset();
        for (const row of snapshot.worstStreaks) streaks.set({ destination_id: row.destinationId, workspace_id: row.workspaceId }, row.consecutiveFailures);
        queued.reset();
        queuedAge.reset();
        const now = Date.now();
        for (const row of snapshot.longestQueues) {
          const labels = { destination_id: row.destinationId, workspace_id: row.workspaceId };
          queued.set(labels, row.queued);
          queuedAge.set(labels, Math.max(0, (now - row.oldestQueuedAt.getTime()) / 1000));
        }
        throttled.reset();
        for (const row of snapshot.throttled) {
          throttled.set({ destination_id: row.destinationId, workspace_id: row.workspaceId }, Math.max(0, (row.until.getTime() - now) / 1000));
        }
        certificates.reset();
        for (const row of snapshot.certificates) {
          certificates.set({ destination_id: row.destinationId, workspace_id: row.workspaceId }, row.expiresAt.getTime() / 1000);
        }
        oldestAge.reset();
        for (const [table, oldest] of Object.entries(snapshot.oldest)) {
          if (oldest !== null) oldestAge.set({ table }, Math.max(0, (now - oldest.getTime()) / 1000));
        }
        outboxWaiting.set(snapshot.outbox.waiting);
        outboxAge.set(snapshot.outbox.oldestAgeSeconds);
      } catch (error) {
        // A scrape must still answer with the counters; the gauges keep their last values.
        onError(error);
      }
    })().finally(() => {
      pending = null;
    });
    return pending;
  };
  const registers = [registry];
  const open = new Gauge({
    name: 'hookline_deliveries_open',
    help: 'Deliveries not finished yet, by status (held: waiting for a paused destination)',
    labelNames: ['status'],
    registers,
    collect: refresh,
  });
  const destinations = new Gauge({
    name: 'hookline_destinations',
    help: 'Destinations (not deleted) by status',
    labelNames: ['status'],
    registers,
    collect: refresh,
  });
  const streaks = new Gauge({
    name: 'hookline_destination_failure_streak',
    help: `Consecutive failed deliveries of the ${FAILURE_STREAK_TOP_N} worst destinations (only those failing now)`,
    labelNames: ['destination_id', 'workspace_id'],
    registers,
    collect: refresh,
  });
  const queued = new Gauge({
    name: 'hookline_destination_queued_deliveries',
    help: `Deliveries queued behind their destination's rate limit, cap or push-back, for the ${FAILURE_STREAK_TOP_N} longest queues`,
    labelNames: ['destination_id', 'workspace_id'],
    registers,
    collect: refresh,
  });
  const queuedAge = new Gauge({
    name: 'hookline_destination_queue_oldest_age_seconds',
    help: `How long the oldest queued delivery of each of the ${FAILURE_STREAK_TOP_N} longest queues has existed`,
    labelNames: ['destination_id', 'workspace_id'],
    registers,
    collect: refresh,
  });
  const throttled = new Gauge({
    name: 'hookline_destination_throttled_seconds',
    help: `Seconds left of the receiver's push-back (429, 503 with Retry-After), for up to ${FAILURE_STREAK_TOP_N} destinations throttled now`,
    labelNames: ['destination_id', 'workspace_id'],
    registers,
    collect: refresh,
  });
  const certificates = new Gauge({
    name: 'hookline_client_certificate_expiry_timestamp_seconds',
    help: `When the client certificate (mutual TLS) stops working, Unix seconds, for the ${FAILURE_STREAK_TOP_N} that expire soonest: alert on (value - time()) < 14 days`,
    labelNames: ['destination_id', 'workspace_id'],
    registers,
    collect: refresh,
  });
  const oldestAge = new Gauge({
    name: 'hookline_oldest_row_age_seconds',
    help: "Age of the oldest row of the big tables (events; deliveries, whose attempts are as old or younger): bounded by the workspaces' record windows while the purge runs",
    labelNames: ['table'],
    registers,
    collect: refresh,
  });
  const outboxWaiting = new Gauge({
    name: 'hookline_outbox_events',
    help: 'Events accepted and not planned yet (their workflow not started, or started and not run yet): grows while Temporal is away',
    registers,
    collect: refresh,
  });
  const outboxAge = new Gauge({
    name: 'hookline_outbox_oldest_age_seconds',
    help: 'How long the oldest event in the outbox has waited; 0 when none waits',
    registers,
    collect: refresh,
  });
}

export interface WorkerMetricsOptions {
  /** The PostgreSQL-backed gauges; absent, only the counters and histograms are kept. */
  fleet?: FleetGauges;
  onError?: (error: unknown) => void;
  /** Node's process metrics; off where the API's registry already has them in the same process (`npm run dev`). */
  defaultMetrics?: boolean;
}

export function createWorkerMetrics(options: WorkerMetricsOptions = {}): WorkerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: 'worker' });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: WorkerMetrics = {
    registry,
    attempts: new Counter({
      name: 'hookline_attempts_total',
      help: 'Delivery attempts by outcome class (2xx, 3xx, 4xx, 5xx, timeout, network, ssrf, template)',
      labelNames: ['outcome'],
      registers,
    }),
    attemptDuration: new Histogram({
      name: 'hookline_attempt_duration_seconds',
      help: 'Duration of the HTTP exchange of one attempt',
      labelNames: ['outcome'],
      buckets: ATTEMPT_BUCKETS,
      registers,
    }),
    deliveries: new Counter({
      name: 'hookline_deliveries_total',
      help: 'Deliveries that reached a final status (test sends excluded)',
      labelNames: ['status'],
      registers,
    }),
    deliveryLatency: new Histogram({
      name: 'hookline_delivery_latency_seconds',
      help: 'From the event accepted by the API to its delivery succeeding, retries included (test sends excluded)',
      buckets: DELIVERY_BUCKETS,
      registers,
    }),
    healthSignals: new Counter({
      name: 'hookline_health_signals_total',
      help: 'Reports to destination health workflows: a delivery failed for good, a success ended a streak, or a 410 Gone',
      labelNames: ['kind'],
      registers,
    }),
    autoDisabled: new Counter({
      name: 'hookline_destinations_auto_disabled_total',
      help: 'Destinations paused by their health workflow (a failure streak or a 410 Gone)',
      registers,
    }),
    eventStarts: new Counter({
      name: 'hookline_event_starts_total',
      help: "The outbox relay's workflow starts: eager (the first task came back in the answer), matched, duplicate (started before), deferred (Temporal away)",
      labelNames: ['result'],
      registers,
    }),
    purgedRows: new Counter({
      name: 'hookline_purged_rows_total',
      help: 'Rows the retention purge changed (kind=payload: data and bodies removed, the record kept) or deleted (kind=record), by table',
      labelNames: ['table', 'kind'],
      registers,
    }),
    purgedBytes: new Counter({
      name: 'hookline_purged_bytes_total',
      help: 'Bytes (as PostgreSQL stores them) of what the retention purge removed, by table and kind',
      labelNames: ['table', 'kind'],
      registers,
    }),
  };
  // Zero series from the start, so rates and alerts have something to compute before the first failure.
  for (const outcome of OUTCOME_CLASSES) metrics.attempts.inc({ outcome }, 0);
  for (const status of ['succeeded', 'failed']) metrics.deliveries.inc({ status }, 0);
  for (const kind of ['failure', 'recovery', 'gone']) metrics.healthSignals.inc({ kind }, 0);
  metrics.autoDisabled.inc(0);
  for (const result of START_RESULTS) metrics.eventStarts.inc({ result }, 0);
  if (options.fleet) registerFleetGauges(registry, options.fleet, options.onError ?? (() => undefined));
  return metrics;
}
