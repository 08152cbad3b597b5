// Builds the Temporal worker: Hookline's workflows plus activities made from real dependencies.
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import { createActivities } from '../activities/activities';
import { createHttpClient } from '../activities/http/dispatcher';
import { hooklineClient } from '../orchestration/client';
import { hooklineDataConverter } from '../orchestration/data-converter';
import { tracingSinks, tracingWorkerInterceptors } from '../observability/temporal-tracing';
import type { Tracing } from '../observability/tracing';
import type { WorkerMetrics } from '../observability/worker-metrics';

export interface WorkerDeps {
  config: Config;
  db: Db;
  connection: NativeConnection;
  /** A prebuilt bundle (tests bundle once); defaults to HOOKLINE_WORKFLOW_BUNDLE, else the SDK bundles src or dist workflows at start. */
  workflowBundlePath?: string;
  /** The attempt log lines; silent when absent. */
  logger?: Logger;
  metrics?: WorkerMetrics;
  /** Where workflow spans are exported; absent, they are dropped (the interceptors run in every bundle). */
  tracing?: Tracing;
}

export async function createHooklineWorker(deps: WorkerDeps): Promise<Worker> {
  const publicPort = deps.config.publicUrl ? Number(new URL(deps.config.publicUrl).port || 0) : 0;
  const http = createHttpClient({
    connectionsPerOrigin: deps.config.worker.connectionsPerOrigin,
    allowPrivate: deps.config.destinations.allowPrivate,
    selfPorts: [deps.config.port, publicPort],
  });
  const bundlePath = deps.workflowBundlePath ?? deps.config.worker.workflowBundlePath;
  const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = bundlePath
    ? { workflowBundle: { codePath: bundlePath } }
    : { workflowsPath: require.resolve('../workflows') };
  const worker = await Worker.create({
    connection: deps.connection,
    namespace: deps.config.temporal.namespace,
    taskQueue: deps.config.temporal.taskQueue,
    ...workflows,
    // The worker's own connection also carries the activities' client calls (health reports, releases, emitted events).
    activities: createActivities({
      db: deps.db,
      config: deps.config,
      http,
      temporal: hooklineClient(deps.config, deps.connection),
      logger: deps.logger,
      metrics: deps.metrics,
    }),
    dataConverter: hooklineDataConverter(deps.config),
    interceptors: tracingWorkerInterceptors(),
    sinks: tracingSinks(deps.tracing ?? null),
    maxConcurrentActivityTaskExecutions: deps.config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: deps.config.worker.maxConcurrentWorkflowTasks,
  });
  return worker;
}
