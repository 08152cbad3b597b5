// Worker process entry point: connect to PostgreSQL and Temporal, migrate, serve /metrics and poll until signalled.
import { NativeConnection } from '@temporalio/worker';
import { boot, exitOnFailure } from '../boot/boot';
import { registrySource, temporalSdkSource } from '../observability/exposition';
import { startMetricsServer } from '../observability/metrics-server';
import { createWorkerMetrics } from '../observability/worker-metrics';
import { fleetGauges } from '../store/fleet';
import { installTemporalRuntime } from './runtime';
import { createHooklineWorker } from './worker';

async function main(): Promise<void> {
  const { config, logger, tracing, db } = await boot({
    service: 'hookline-worker',
    beforeDatabase: ({ config, logger }) => installTemporalRuntime({ logger, sdkMetricsPort: config.metrics.sdkPort, shutdownSignals: ['SIGINT', 'SIGTERM'] }),
  });
  const metrics = createWorkerMetrics({
    fleet: fleetGauges(db, config.temporal.taskQueue),
    onError: (error) => logger.warn({ err: error }, 'could not read the fleet gauges'),
  });
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

exitOnFailure(main());
