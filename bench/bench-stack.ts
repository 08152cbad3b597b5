// Everything a run needs, started like the tests do: Temporal dev server, a fresh database, workflow bundles, API and workers.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig, type Config } from '../src/config/config';
import { freePort } from '../src/dev/free-port';
import { startClusterTemporal, startDevTemporal, type BenchTemporal } from './bench-temporal';
import { createScratchDatabase, dropScratchDatabase, quietBundlerLogger, ScratchSetupError } from '../src/dev/scratch-database';
import { BenchProcess } from './bench-process';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../src/observability/temporal-tracing';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const TASK_QUEUE = 'hookline-bench';
const FLOOR_TASK_QUEUE = 'bench-floor';

export interface StackOptions {
  logDir: string;
  cpuProfileDir: string | null;
  /** Overrides for the API and worker environment (`--set`). */
  env: Record<string, string>;
  /** Temporal persists to this SQLite file (`--dev-db`), as `npm run dev` does; in memory when absent. */
  temporalDbFile?: string;
  /** The cluster's Temporal instead of the dev server (--cluster). */
  cluster: boolean;
  /** One standalone process as both the API and the worker (--standalone). */
  standalone: boolean;
}

export interface BenchStack {
  temporal: BenchTemporal;
  databaseUrl: string;
  apiUrl: string;
  config: Config;
  appEnv: Record<string, string>;
  floorTaskQueue: string;
  /** The same process as `worker` with --standalone. */
  api: BenchProcess;
  worker: BenchProcess;
  floorWorker: BenchProcess;
  /** Workers started after the first (--cluster: the second), same task queue and settings. */
  extraWorkers: BenchProcess[];
  addWorker(): BenchProcess;
  /** Stops the API and the workers (their CPU profiles are written on this clean exit). */
  stopProcesses(): Promise<void>;
  close(): Promise<void>;
}

async function bundle(workflowsPath: string, file: string, workflowInterceptorModules: string[] = []): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, logger: quietBundlerLogger });
  await writeFile(file, code);
  return file;
}

export async function startBenchStack(options: StackOptions): Promise<BenchStack> {
  const adminUrl = process.env.HOOKLINE_TEST_DATABASE_URL;
  const cliPath = process.env.TEMPORAL_CLI_PATH;
  if (!adminUrl || !cliPath) {
    throw new ScratchSetupError(
      'Run the benchmark with `npm run bench`: it bootstraps PostgreSQL and the temporal CLI and sets HOOKLINE_TEST_DATABASE_URL and TEMPORAL_CLI_PATH.',
    );
  }
  const database = `hookline_bench_${Date.now()}`;
  const settled = await Promise.allSettled([
    createScratchDatabase(adminUrl, database),
    options.cluster ? startClusterTemporal(adminUrl) : startDevTemporal(cliPath, join(options.logDir, 'temporal.log'), options.temporalDbFile),
    // The same interceptors as every Hookline bundle, so the benchmark measures what production runs.
    bundle(require.resolve('../src/workflows'), join(options.logDir, 'hookline-workflows.js'), WORKFLOW_INTERCEPTOR_MODULES),
    bundle(require.resolve('./floor.workflow'), join(options.logDir, 'floor-workflows.js')),
  ] as const);
  const [dbResult, temporalResult, workflowResult, floorResult] = settled;
  if (dbResult.status === 'rejected' || temporalResult.status === 'rejected' || workflowResult.status === 'rejected' || floorResult.status === 'rejected') {
    // Leave nothing behind: a half-started run stops what did start before it reports.
    if (temporalResult.status === 'fulfilled') await temporalResult.value.stop();
    await dropScratchDatabase(adminUrl, database);
    const failure = settled.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    throw failure.reason;
  }
  const databaseUrl = dbResult.value;
  const temporal = temporalResult.value;
  const workflowBundle = workflowResult.value;
  const floorBundle = floorResult.value;

  const appEnv: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    HOOKLINE_TASK_QUEUE: TASK_QUEUE,
    HOOKLINE_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    HOOKLINE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    HOOKLINE_ALLOW_HTTP: 'true',
    HOOKLINE_ALLOW_PRIVATE_DESTINATIONS: 'true',
    // Seconds, not the production minutes, so the noisy-neighbour scenario's 503s are retried inside its window.
    HOOKLINE_RETRY_SCHEDULE: '1s,2s,4s',
    HOOKLINE_WORKFLOW_BUNDLE: workflowBundle,
    ...options.env,
  };
  const config = loadConfig(appEnv);
  // One directory per process: a process writes one profile per thread.
  const profiled = (name: string) => (options.cpuProfileDir ? { cpuProfileDir: join(options.cpuProfileDir, name) } : {});
  // Standalone, the one process is measured as the worker (its CPU includes the API's) and stands in for the API.
  const workerScript = options.standalone ? 'src/standalone/main.ts' : 'src/worker/main.ts';
  const worker = BenchProcess.spawn({ name: 'worker', script: workerScript, env: appEnv, logDir: options.logDir, ...profiled('worker') });
  const api = options.standalone
    ? worker
    : BenchProcess.spawn({ name: 'api', script: 'src/api/main.ts', env: appEnv, logDir: options.logDir, ...profiled('api') });
  const floorWorker = BenchProcess.spawn({
    name: 'floor-worker',
    script: 'bench/floor-worker.main.ts',
    logDir: options.logDir,
    env: {
      BENCH_TEMPORAL_ADDRESS: temporal.address,
      BENCH_FLOOR_TASK_QUEUE: FLOOR_TASK_QUEUE,
      BENCH_FLOOR_BUNDLE: floorBundle,
      BENCH_MAX_ACTIVITIES: String(config.worker.maxConcurrentActivities),
      BENCH_MAX_WORKFLOW_TASKS: String(config.worker.maxConcurrentWorkflowTasks),
    },
  });

  const extraWorkers: BenchProcess[] = [];
  const addWorker = () => {
    const added = BenchProcess.spawn({
      name: `worker${extraWorkers.length + 2}`,
      script: 'src/worker/main.ts',
      env: { ...appEnv, HOOKLINE_METRICS_PORT: '0', HOOKLINE_SDK_METRICS_PORT: '0' },
      logDir: options.logDir,
    });
    extraWorkers.push(added);
    return added;
  };
  const stopProcesses = async () => {
    await Promise.all([...new Set([api, worker, floorWorker, ...extraWorkers])].map((child) => child.stop()));
  };
  return {
    temporal,
    databaseUrl,
    apiUrl: `http://127.0.0.1:${appEnv.PORT}`,
    config,
    appEnv,
    floorTaskQueue: FLOOR_TASK_QUEUE,
    api,
    worker,
    floorWorker,
    extraWorkers,
    addWorker,
    stopProcesses,
    close: async () => {
      await stopProcesses();
      await temporal.stop();
      await dropScratchDatabase(adminUrl, database);
    },
  };
}
