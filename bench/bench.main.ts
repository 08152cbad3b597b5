// `npm run bench`: start Hookline's stack, measure the floors, the six scenarios and the failure paths, print the tables, write the JSON.
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { runBench } from './bench-run';
import { BENCH_ADMIN_TOKEN, startBenchStack, type BenchStack } from './bench-stack';
import { FANOUT_DESTINATIONS } from './scenarios/fanout';
import { HooklineApi } from './hookline-api';
import { round } from './latency';
import { waitUntil } from './load';
import { BenchUsageError, parseBenchOptions } from './options';
import { PostgresWriteCounter, rowsWrittenBetween, withoutInserted, workspaceRowCounts } from './pg-stats';
import { summarizeProcessProfiles, type ProfileSummary } from './profile-summary';
import { ReceiverFarm } from './receivers';
import { burstDrainBoundMs } from './scenarios/burst';
import { evaluateTargets } from './targets';
import { renderReport } from './report';
import { currentLoad, gitState, machineInfo, writeResults, type BenchResults } from './results';

class BenchStartError extends Error {
  override name = 'BenchStartError';
}

// Tables whose rows carry a workspace_id and that an ingest-only event may write to.
const DELIVERY_TABLES = ['events', 'deliveries', 'attempts'];

const log = (message: string) => console.log(`[bench] ${message}`);

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const startedAt = new Date();
  const loadBefore = currentLoad();
  const logDir = await mkdtemp(join(tmpdir(), 'hookline-bench-'));
  const profileDir = options.cpuProfile ? join(logDir, 'profiles') : null;
  if (profileDir) {
    await mkdir(join(profileDir, 'api'), { recursive: true });
    await mkdir(join(profileDir, 'worker'), { recursive: true });
  }
  log(`${options.mode} run, ${options.scenarioMs / 1000} s per scenario, concurrency ${options.concurrency}; load ${loadBefore.join(' ')}; logs in ${logDir}`);

  const receivers = await ReceiverFarm.start(FANOUT_DESTINATIONS);
  let stack: BenchStack | null = null;
  let api: HooklineApi | null = null;
  let pg: PostgresWriteCounter | null = null;
  let connection: Connection | null = null;
  const cleanup = async () => {
    await api?.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await pg?.close().catch(() => undefined);
    await stack?.close().catch((error: unknown) => console.error(`[bench] while stopping: ${String(error)}`));
    await receivers.close();
  };
  // Ctrl-C and the overall bound both stop everything that was started, the detached Temporal server included.
  const abort = (why: string, code: number) => {
    console.error(`[bench] ${why}; stopping`);
    void cleanup().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  // The burst's drain has its own bound, added on top.
  const bound = setTimeout(() => abort('the run exceeded its time bound', 1), 30 * options.scenarioMs + 10 * 60_000 + burstDrainBoundMs(options.scenarioMs));
  bound.unref();

  try {
    log('starting Temporal, PostgreSQL database, API and workers…');
    stack = await startBenchStack({
      logDir,
      cpuProfileDir: profileDir,
      // The soak's windows are minutes long and need purge runs every minute to show a flat size.
      env: options.only.includes('soak') ? { HOOKLINE_MIN_RETENTION: '1m', HOOKLINE_PURGE_INTERVAL: '1m', ...options.env } : options.env,
      cluster: options.cluster,
      standalone: options.standalone,
      ...(options.devDatabase ? { temporalDbFile: join(logDir, 'temporal-dev.db') } : {}),
    });
    api = new HooklineApi(stack.apiUrl, BENCH_ADMIN_TOKEN, options.concurrency);
    const readyApi = api;
    if ((await waitUntil(() => readyApi.ready(), 60_000, 250)).timedOut) {
      throw new BenchStartError(`the API did not become ready (log: ${stack.api.logFile})`);
    }
    connection = await Connection.connect({ address: stack.temporal.address });
    const temporal = new Client({ connection });
    pg = await PostgresWriteCounter.connect(stack.databaseUrl);

    // One delivery end to end proves the worker is polling before anything is timed.
    const warmup = await api.createWorkspace('bench warmup', [{ name: 'warmup', url: `${receivers.origins[0]}/warmup`, eventTypes: ['bench.warmup'] }]);
    const warmupEvent = await api.postEvent(warmup.key, 'bench.warmup', {});
    await receivers.whenReceived(warmupEvent, 1, 120_000);
    log('stack ready');

    const figures = await runBench(
      stack,
      { api, receivers, options, temporal, pg, databaseUrl: stack.databaseUrl, taskQueue: stack.config.temporal.taskQueue },
      logDir,
    );

    // The exact total: every backend publishes its counters when it exits, so stop the processes first.
    await stack.stopProcesses();
    const written = rowsWrittenBetween(figures.pgBaseline, await pg.snapshot());
    const ingestRows = figures.ingestWorkspaceIds.length
      ? await workspaceRowCounts(
          pg,
          figures.ingestWorkspaceIds,
          Object.keys(written.byTable).filter((table) => DELIVERY_TABLES.includes(table)),
        )
      : {};
    const deliveryRows = withoutInserted(written, ingestRows);
    let profiles: Record<string, ProfileSummary> | null = null;
    if (profileDir) {
      profiles = {};
      for (const child of new Set([stack.worker, stack.api])) {
        const from = figures.window.fromMs - child.spawnedAt;
        const to = figures.window.toMs - child.spawnedAt;
        for (const [thread, summary] of Object.entries(summarizeProcessProfiles(join(profileDir, child.name), from, to))) {
          profiles[`${child.name} ${thread}`] = summary;
        }
      }
    }

    const results: BenchResults = {
      schemaVersion: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(' ')}` : 'npm run bench',
      mode: options.mode,
      label: options.label,
      git: gitState(),
      machine: machineInfo(loadBefore),
      settings: {
        scenarioMs: options.scenarioMs,
        concurrency: options.concurrency,
        cpuProfile: options.cpuProfile,
        overrides: options.env,
        workerMaxActivities: stack.config.worker.maxConcurrentActivities,
        workerMaxWorkflowTasks: stack.config.worker.maxConcurrentWorkflowTasks,
        connectionsPerOrigin: stack.config.worker.connectionsPerOrigin,
        databasePoolMax: stack.config.database.poolMax,
        retryScheduleMs: stack.config.delivery.retryScheduleMs,
        cluster: options.cluster,
        standalone: options.standalone,
      },
      floors: figures.floors,
      scenarios: figures.scenarios,
      failurePaths: figures.failurePaths,
      ratios: {
        engineEfficiency: ratio(figures.scenarios.steady?.result.deliveriesPerSecond, figures.floors.temporal.result.completionsPerSecond),
        httpEfficiency: ratio(figures.scenarios.steady?.result.deliveriesPerSecond, figures.floors.http.result.requestsPerSecond),
      },
      postgresTotal:
        figures.deliveries > 0 ? { ...deliveryRows, deliveries: figures.deliveries, perDelivery: round(deliveryRows.total / figures.deliveries, 2) } : null,
      profiles,
      logDir,
    };
    results.targets = evaluateTargets(results);
    const file = await writeResults(results);
    console.log(`\n${renderReport(results)}\n`);
    log(`results written to ${file}`);
  } finally {
    clearTimeout(bound);
    await cleanup();
  }
}

function ratio(a: number | undefined, b: number): number | null {
  return a === undefined || b <= 0 ? null : Number((a / b).toPrecision(3));
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    console.error(error.message);
    process.exit(64);
  }
  console.error(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
