// The retention soak (run only when asked: `--only soak`): half the sustained rate for 30 minutes with windows of minutes, the database's size sampled throughout: flat once the windows are full.
import { Client as PgClient } from 'pg';
import { publishedPhase, runDeliveryPhase } from '../delivery-phase';
import { round } from '../latency';
import { DRAIN_TIMEOUT_MS, type ScenarioContext, type ScenarioOutcome } from '../scenario-context';

export interface SoakSample {
  /** Seconds since the load started. */
  atSeconds: number;
  databaseBytes: number;
  /** The workspace's rows by table: what retention bounds. */
  events: number;
  deliveries: number;
  attempts: number;
}

export interface SoakResult {
  minutes: number;
  retention: { payloadSeconds: number; recordSeconds: number };
  phase: ReturnType<typeof publishedPhase>;
  samples: SoakSample[];
  /** The last third's database size against the second third's: 1.0 is flat. */
  lastThirdGrowth: number | null;
  /** Database bytes per 1,000 events held (events rows at the end), with retention on. */
  bytesPer1000Events: number | null;
}

async function sample(pg: PgClient, workspaceId: string, atSeconds: number): Promise<SoakSample> {
  const size = await pg.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
  const counts = await pg.query<{ events: string; deliveries: string; attempts: string }>(
    `SELECT (SELECT count(*) FROM events WHERE workspace_id = $1) AS events,
            (SELECT count(*) FROM deliveries WHERE workspace_id = $1) AS deliveries,
            (SELECT count(*) FROM attempts WHERE workspace_id = $1) AS attempts`,
    [workspaceId],
  );
  const row = counts.rows[0]!;
  return {
    atSeconds,
    databaseBytes: Number(size.rows[0]!.size),
    events: Number(row.events),
    deliveries: Number(row.deliveries),
    attempts: Number(row.attempts),
  };
}

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

export async function runSoak(ctx: ScenarioContext, rate: number): Promise<ScenarioOutcome<SoakResult> & { workspaceId: string }> {
  const quick = ctx.options.mode === 'quick';
  const minutes = quick ? 3 : 30;
  // Windows of minutes (the run sets HOOKLINE_MIN_RETENTION low enough), so the soak sees many windows pass.
  const retention = { payloadSeconds: 120, recordSeconds: 240 };
  const workspace = await ctx.api.createWorkspace(
    'bench soak',
    Array.from({ length: 5 }, (_, i) => ({
      name: `soak ${i}`,
      url: `${ctx.receivers.origins[i % ctx.receivers.origins.length]}/soak/${i}`,
      eventTypes: [`bench.soak.d${i}`],
    })),
  );
  await ctx.api.setRetention(workspace.key, retention.payloadSeconds, retention.recordSeconds);
  const pg = new PgClient({ connectionString: ctx.databaseUrl });
  await pg.connect();
  const samples: SoakSample[] = [];
  const startedAt = Date.now();
  const timer = setInterval(() => {
    void sample(pg, workspace.id, Math.round((Date.now() - startedAt) / 1000)).then((taken) => samples.push(taken));
  }, 30_000);
  try {
    const phase = await runDeliveryPhase(ctx.api, ctx.receivers, {
      rate,
      concurrency: ctx.options.concurrency,
      durationMs: minutes * 60_000,
      key: workspace.key,
      typeFor: (seq) => `bench.soak.d${seq % 5}`,
      owedFor: () => 1,
      warmupMs: 1_000,
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
    });
    clearInterval(timer);
    samples.push(await sample(pg, workspace.id, Math.round((Date.now() - startedAt) / 1000)));
    const third = (minutes * 60) / 3;
    const second = mean(samples.filter((s) => s.atSeconds > third && s.atSeconds <= 2 * third).map((s) => s.databaseBytes));
    const last = mean(samples.filter((s) => s.atSeconds > 2 * third).map((s) => s.databaseBytes));
    const end = samples[samples.length - 1]!;
    return {
      workspaceId: workspace.id,
      units: phase.events,
      unitName: 'deliveries',
      result: {
        minutes,
        retention,
        phase: publishedPhase(phase),
        samples,
        lastThirdGrowth: second === null || last === null ? null : round(last / second, 3),
        bytesPer1000Events: end.events === 0 ? null : Math.round((end.databaseBytes / end.events) * 1000),
      },
    };
  } finally {
    clearInterval(timer);
    await pg.end();
  }
}
