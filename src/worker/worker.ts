// Builds the Temporal worker: Hookline's workflows plus activities made from real dependencies, as one build of its Worker Deployment.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { bundleWorkflowCode, type NativeConnection, Worker, type WorkerDeploymentOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import { createActivities } from '../activities/activities';
import { createHttpClient } from '../activities/http/dispatcher';
import { ClientTlsAgents } from '../activities/http/client-tls-agents';
import { ensurePurgeSchedule } from '../orchestration/purge-schedule';
import { openClientKey } from '../domain/client-tls';
import { hooklineClient } from '../orchestration/client';
import { hooklineDataConverter } from '../orchestration/data-converter';
import { startEventRelay, type EventRelay } from './event-relay';
import { becomeCurrentVersion, type DeploymentVersion } from '../orchestration/worker-deployment';
import { tracingSinks, tracingWorkerInterceptors, WORKFLOW_INTERCEPTOR_MODULES } from '../observability/temporal-tracing';
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

/** A worker of one build: `run()` polls, and makes the build its deployment's current version once the server knows it. */
export interface HooklineWorker {
  readonly version: DeploymentVersion;
  run(): Promise<void>;
  shutdown(): void;
}

/** The workflow code this worker runs: the prebuilt bundle, or the sources bundled now (the SDK would bundle them anyway). */
async function workflowCode(bundlePath: string | undefined): Promise<string> {
  if (bundlePath) return readFile(bundlePath, 'utf8');
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  return bundle.code;
}

/** Derived from the code itself, the build id changes exactly when the workflow code does, whatever the release says. */
export function workflowBuildId(code: string): string {
  return `wf-${createHash('sha256').update(code).digest('hex').slice(0, 16)}`;
}

/**
 * Every worker that runs Hookline's workflows is versioned: each workflow type declares how it versions (event
 * workflows are pinned to the build that started them; delivery and health workflows, which live for days, move to the
 * current build and stay compatible through patched()), and the SDK refuses such declarations on an unversioned worker.
 */
export function versionedAs(version: DeploymentVersion): WorkerDeploymentOptions {
  return { useWorkerVersioning: true, version, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}

export async function createHooklineWorker(deps: WorkerDeps): Promise<HooklineWorker> {
  const publicPort = deps.config.publicUrl ? Number(new URL(deps.config.publicUrl).port || 0) : 0;
  const httpOptions = {
    connectionsPerOrigin: deps.config.worker.connectionsPerOrigin,
    allowPrivate: deps.config.destinations.allowPrivate,
    selfPorts: [deps.config.port, publicPort],
    egressProxy: deps.config.destinations.egressProxy,
  };
  const http = createHttpClient(httpOptions);
  const clientTls = new ClientTlsAgents(
    (tls) => createHttpClient(httpOptions, tls),
    (sealed) => openClientKey(sealed, deps.config.encryptionKey),
  );
  const code = await workflowCode(deps.workflowBundlePath ?? deps.config.worker.workflowBundlePath);
  const version: DeploymentVersion = { deploymentName: deps.config.worker.deploymentName, buildId: deps.config.worker.buildId ?? workflowBuildId(code) };
  // The worker's own connection also carries the activities' client calls and the relay's starts (eager, on this connection).
  const temporal = hooklineClient(deps.config, deps.connection);
  const worker = await Worker.create({
    connection: deps.connection,
    namespace: deps.config.temporal.namespace,
    taskQueue: deps.config.temporal.taskQueue,
    workflowBundle: { code },
    workerDeploymentOptions: versionedAs(version),
    activities: createActivities({
      db: deps.db,
      config: deps.config,
      http,
      clientTls,
      temporal,
      logger: deps.logger,
      metrics: deps.metrics,
    }),
    dataConverter: hooklineDataConverter(deps.config),
    // The workflow interceptors are in the bundle already.
    interceptors: { activity: tracingWorkerInterceptors().activity },
    sinks: tracingSinks(deps.tracing ?? null),
    maxConcurrentActivityTaskExecutions: deps.config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: deps.config.worker.maxConcurrentWorkflowTasks,
  });
  let relay: EventRelay | null = null;
  return {
    version,
    run: async () => {
      const stopped = new AbortController();
      // Every worker relays the outbox: the events it starts are eager, their first task handed to this worker.
      relay = startEventRelay({
        config: deps.config,
        db: deps.db,
        temporal,
        ...(deps.logger ? { logger: deps.logger } : {}),
        ...(deps.metrics ? { metrics: deps.metrics } : {}),
      });
      const stopRelay = relay.stop;
      const running = worker.run().finally(() => {
        stopped.abort();
        return stopRelay();
      });
      const promoted = becomeCurrentVersion(deps.config, deps.connection, version, { signal: stopped.signal })
        .catch((error: unknown) => {
          // A worker whose build never becomes current would poll forever and receive no new workflow: stop, loudly.
          worker.shutdown();
          throw error;
        })
        // Once this build takes new workflows, the schedule's purge runs can start on it.
        .then(() =>
          ensurePurgeSchedule(temporal, deps.config).catch((error: unknown) =>
            deps.logger?.error({ err: error }, 'could not create or update the retention schedule; the next worker start tries again'),
          ),
        );
      const [run, promotion] = await Promise.allSettled([running, promoted]);
      if (promotion.status === 'rejected') throw promotion.reason;
      if (run.status === 'rejected') throw run.reason;
    },
    shutdown: () => {
      // The relay stops starting first, so nothing new is handed to a worker that is going away.
      void relay?.stop();
      worker.shutdown();
    },
  };
}
