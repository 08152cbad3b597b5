// Worker process entry point: connect to PostgreSQL and Temporal, migrate, serve /metrics and poll until signalled.
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config/config';
import { connectDatabase, waitForDatabase } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { createLogger } from '../logging/logger';
import { registrySource, temporalSdkSource } from '../observability/exposition';
import { startMetricsServer } from '../observability/metrics-server';
import { createWorkerMetrics } from '../observability/worker-metrics';
import { startTracing } from '../observability/tracing';
import { fleetGauges } from '../store/fleet';
import { installTemporalRuntime } from './runtime';
import { createHooklineWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'hookline-worker' });
  const tracing = startTracing({ serviceName: 'hookline-worker' });
  installTemporalRuntime({ logger, sdkMetricsPort: config.metrics.sdkPort, shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const db = connectDatabase(config.database);
  await waitForDatabase(db, { timeoutMs: 120_000, onWait: (error) => logger.warn({ err: error.message }, 'waiting for PostgreSQL') });
  await migrateToLatest(db);
  const metrics = createWorkerMetrics({ fleet: fleetGauges(db), onError: (error) => logger.warn({ err: error }, 'could not read the fleet gauges') });
  const metricsServer =
    config.metrics.workerPort > 0
      ? await startMetricsServer({
          host: config.host,
          port: config.metrics.workerPort,
          sources: [registrySource(metrics.registry), ...(config.metrics.sdkPort > 0 ? [temporalSdkSource(config.metrics.sdkPort)] : [])],
        })
      : null;
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createHooklineWorker({ config, db, connection, logger, metrics, tracing });
  logger.info(
    { taskQueue: config.temporal.taskQueue, temporal: config.temporal.address, deployment: worker.version, metrics: metricsServer?.url ?? null },
    'worker polling',
  );
  await worker.run();
  await metricsServer?.close();
  await connection.close();
  await db.destroy();
  await tracing.shutdown();
  logger.info('worker stopped');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
