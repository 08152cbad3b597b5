// Standalone process entry point: the API and a worker in one process (a small deployment), until SIGINT/SIGTERM.
import { boot, exitOnFailure } from '../boot/boot';
import { installTemporalRuntime } from '../worker/runtime';
import { startStandalone } from './standalone';

async function main(): Promise<void> {
  const { config, logger, tracing, db } = await boot({
    service: 'hookline',
    beforeDatabase: ({ config, logger }) => installTemporalRuntime({ logger, sdkMetricsPort: config.metrics.sdkPort, shutdownSignals: [] }),
  });
  const standalone = await startStandalone({ config, db, logger, tracing, sdkMetricsPort: config.metrics.sdkPort });
  logger.info({ url: standalone.url, taskQueue: config.temporal.taskQueue, temporal: config.temporal.address }, 'API listening, worker polling');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await standalone.stop();
    await db.destroy();
    await tracing.shutdown();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // A worker that fails on its own (a fatal Temporal error) takes the process down for its supervisor to restart.
  standalone.running.catch((error: unknown) => {
    if (stopping) return;
    logger.error({ err: error }, 'worker failed');
    process.exit(1);
  });
}

exitOnFailure(main());
