// The API and a worker in one process, sharing the worker's Temporal connection for event starts (eager start).
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { HooklineApp } from '../api/http/app';
import { startApiServer } from '../api/server';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import { createApiMetrics } from '../observability/api-metrics';
import { registrySource, temporalSdkSource } from '../observability/exposition';
import type { Tracing } from '../observability/tracing';
import { createWorkerMetrics } from '../observability/worker-metrics';
import { temporalConnection } from '../orchestration/connection';
import { hooklineClient } from '../orchestration/client';
import { fleetGauges } from '../store/fleet';
import { HOOKLINE_VERSION } from '../version';
import { createHooklineWorker, type HooklineWorker } from '../worker/worker';

export interface StandaloneDeps {
  config: Config;
  db: Db;
  logger: Logger;
  /** Where workflow spans go; absent, they are dropped (the API's and activities' spans use the global provider). */
  tracing?: Tracing;
  /** The Temporal SDK's exporter port on loopback, already installed in the runtime; 0: none. */
  sdkMetricsPort: number;
}

export interface Standalone {
  url: string;
  app: HooklineApp;
  /** The API's own client, on its lazy connection (503 while Temporal is away). */
  temporal: Client;
  /** Settles when the current worker stops: resolves on shutdown, rejects on a fatal worker error. */
  readonly running: Promise<void>;
  /** Stops the worker alone, as a deploy or a crash would, while the API keeps answering; startWorker brings one back. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  /** Stops taking requests, then lets the worker finish its tasks, then closes both connections. */
  stop(): Promise<void>;
}

/*
 * Why one process: a start made on the worker's own connection carries the workflow's first task back in its answer,
 * so the server neither matches nor dispatches it (the SDK asks only while this worker has a free slot). The rest of
 * the API stays on its lazy connection, which answers 503 while Temporal is away; the worker's is made at boot.
 */
export async function startStandalone(deps: StandaloneDeps): Promise<Standalone> {
  const { config, db, logger, tracing } = deps;
  const workerConnection = await NativeConnection.connect({ address: config.temporal.address });
  const workerMetrics = createWorkerMetrics({
    fleet: fleetGauges(db, config.temporal.taskQueue),
    defaultMetrics: false,
    onError: (error) => logger.warn({ err: error }, 'could not read the fleet gauges'),
  });
  let worker: HooklineWorker | null = null;
  let running: Promise<void> = Promise.resolve();
  const startWorker = async () => {
    if (worker) return;
    worker = await createHooklineWorker({ config, db, connection: workerConnection, logger, metrics: workerMetrics, ...(tracing ? { tracing } : {}) });
    running = worker.run();
  };
  const stopWorker = async () => {
    if (!worker) return;
    worker.shutdown();
    worker = null;
    await running.catch(() => undefined);
  };
  await startWorker();

  const connection = temporalConnection(config);
  const temporal = hooklineClient(config, connection);
  const eagerStarts = hooklineClient(config, workerConnection);
  // One process, so the API's /metrics serves the worker's and the Temporal SDK's series too.
  const apiMetrics = createApiMetrics();
  const metricsSources = [
    registrySource(apiMetrics.registry),
    registrySource(workerMetrics.registry),
    ...(deps.sdkMetricsPort > 0 ? [temporalSdkSource(deps.sdkMetricsPort)] : []),
  ];
  const server = await startApiServer({ config, db, temporal, eagerStarts, logger, version: HOOKLINE_VERSION, metrics: apiMetrics, metricsSources });

  return {
    url: server.url,
    app: server.app,
    temporal,
    get running() {
      return running;
    },
    stopWorker,
    startWorker,
    stop: async () => {
      // Requests end first, so nothing is accepted for a worker that is going away; its open workflows finish elsewhere.
      await server.close();
      await stopWorker();
      await connection.close();
      await workerConnection.close();
    },
  };
}
