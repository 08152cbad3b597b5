// Scenario 10, purge under load: a million expired rows purged by the retention schedule's run while steady load runs, against that load's latency just before, in the same run.
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import { purgeScheduleId } from '../../src/orchestration/purge-schedule';
import { publishedPhase, runDeliveryPhase } from '../delivery-phase';
import { latencyRatio, round } from '../latency';
import { waitUntil } from '../load';
import { DRAIN_TIMEOUT_MS, type ScenarioContext, type ScenarioOutcome } from '../scenario-context';

export interface PurgeResult {
  /** Rows written as an expired backlog (events, a delivery each, an attempt for every other delivery). */
  expiredRows: { events: number; deliveries: number; attempts: number; total: number };
  /** From the run's trigger to the backlog's last event gone; null when it outlasted the bound. */
  purgeMs: number | null;
  rowsPerSecond: number | null;
  /** The same load (half the sustained rate) just before the purge, then while it ran. */
  baseline: ReturnType<typeof publishedPhase>;
  underPurge: ReturnType<typeof publishedPhase>;
  /** Accepted → received (delivery) and POST → 202 (ingest), under the purge ÷ baseline. */
  deliveryRatio: { p50: number | null; p95: number | null; p99: number | null };
  ingestRatio: { p50: number | null; p95: number | null; p99: number | null };
  /** PostgreSQL's size: before the backlog, with it, and after the purge (deleted rows' space is reused, not returned). */
  databaseBytes: { before: number; withBacklog: number; afterPurge: number };
}

async function databaseSize(pg: PgClient): Promise<number> {
  return Number((await pg.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size')).rows[0]!.size);
}

/** The backlog, written in one statement per table: old enough for both windows, every delivery finished. */
async function seedBacklog(pg: PgClient, workspaceId: string, destinationId: string, events: number): Promise<PurgeResult['expiredRows']> {
  const old = "now() - interval '200 days'";
  await pg.query(
    `INSERT INTO events (id, workspace_id, type, data, subject, occurred_at, received_at, workflow_id)
     SELECT 'evt_bench_purge_' || n, $1, 'bench.purge', jsonb_build_object('seq', n, 'email', 'person' || n || '@example.com', 'name', 'Bench Person ' || n),
            'contact_' || (n % 1000), ${old}, ${old}, 'event-evt_bench_purge_' || n
       FROM generate_series(1, $2::int) AS n`,
    [workspaceId, events],
  );
  await pg.query(
    `INSERT INTO deliveries (id, workspace_id, event_id, destination_id, event_type, status, attempt_count, last_status_code, workflow_id, created_at, updated_at, completed_at)
     SELECT 'dlv_bench_purge_' || n, $1, 'evt_bench_purge_' || n, $2, 'bench.purge', 'succeeded', 1, 200, 'event-evt_bench_purge_' || n, ${old}, ${old}, ${old}
       FROM generate_series(1, $3::int) AS n`,
    [workspaceId, destinationId, events],
  );
  const attempts = Math.floor(events / 2);
  await pg.query(
    `INSERT INTO attempts (workspace_id, delivery_id, attempt_number, started_at, duration_ms, request_method, request_url, request_headers,
                           response_status, response_headers, response_excerpt)
     SELECT $1, 'dlv_bench_purge_' || (n * 2), 1, ${old}, 12, 'POST', 'https://crm.example.com/hooks', '{"content-type":"application/json"}'::jsonb,
            200, '{"content-type":"application/json"}'::jsonb, '{"ok":true,"id":"' || n || '"}'
       FROM generate_series(1, $2::int) AS n`,
    [workspaceId, attempts],
  );
  await pg.query('ANALYZE events, deliveries, attempts');
  return { events, deliveries: events, attempts, total: events * 2 + attempts };
}

export async function runPurge(ctx: ScenarioContext, rate: number): Promise<ScenarioOutcome<PurgeResult> & { workspaceId: string }> {
  const quick = ctx.options.mode === 'quick';
  // 400,000 events + 400,000 deliveries + 200,000 attempts: a million rows (a twentieth in quick mode).
  const events = quick ? 20_000 : 400_000;
  const pg = new PgClient({ connectionString: ctx.databaseUrl });
  await pg.connect();
  try {
    const backlog = await ctx.api.createWorkspace('bench purge backlog', [
      { name: 'purged', url: `${ctx.receivers.origins[0]}/purged`, eventTypes: ['bench.purge'] },
    ]);
    // The shortest windows the default configuration allows: the backlog is far older than both.
    await ctx.api.setRetention(backlog.key, 3_600, 7_200);
    const live = await ctx.api.createWorkspace(
      'bench purge live',
      Array.from({ length: 5 }, (_, i) => ({
        name: `live ${i}`,
        url: `${ctx.receivers.origins[i % ctx.receivers.origins.length]}/live/${i}`,
        eventTypes: [`bench.live.d${i}`],
      })),
    );
    const phase = () =>
      runDeliveryPhase(ctx.api, ctx.receivers, {
        rate,
        concurrency: ctx.options.concurrency,
        durationMs: ctx.options.scenarioMs,
        key: live.key,
        typeFor: (seq) => `bench.live.d${seq % 5}`,
        owedFor: () => 1,
        warmupMs: 1_000,
        drainTimeoutMs: DRAIN_TIMEOUT_MS,
      });
    const before = await databaseSize(pg);
    const expiredRows = await seedBacklog(pg, backlog.id, backlog.destinationIds[0]!, events);
    const withBacklog = await databaseSize(pg);
    // The baseline after the seed, so both phases meet the same table sizes and the same cache.
    const baseline = await phase();
    const remaining = async () => Number((await pg.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE workspace_id = $1', [backlog.id])).rows[0]!.n);
    const triggeredAt = performance.now();
    await ctx.temporal.schedule.getHandle(purgeScheduleId(ctx.taskQueue)).trigger();
    const underPurge = await phase();
    const purged = await waitUntil(async () => (await remaining()) === 0, quick ? 120_000 : 900_000, 1_000);
    const purgeMs = purged.timedOut ? null : Math.round(performance.now() - triggeredAt);
    return {
      workspaceId: live.id,
      units: baseline.events + underPurge.events,
      unitName: 'deliveries',
      result: {
        expiredRows,
        purgeMs,
        rowsPerSecond: purgeMs === null ? null : round(expiredRows.total / (purgeMs / 1000)),
        baseline: publishedPhase(baseline),
        underPurge: publishedPhase(underPurge),
        deliveryRatio: latencyRatio(underPurge.latency, baseline.samples),
        ingestRatio: latencyRatio(underPurge.requestLatency, baseline.requestSamples),
        databaseBytes: { before, withBacklog, afterPurge: await databaseSize(pg) },
      },
    };
  } finally {
    await pg.end();
  }
}
