// Standalone process entry point: the API and a worker in one process (a small deployment), until SIGINT/SIGTERM.
import { loadConfig } from '../config/config';
import { connectDatabase, waitForDatabase } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { createLogger } from '../logging/logger';
import { startTracing } from '../observability/tracing';
import { installTemporalRuntime } from '../worker/runtime';
import { startStandalone } from './standalone';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'hookline' });
  const tracing = startTracing({ serviceName: 'hookline' });
  installTemporalRuntime({ logger, sdkMetricsPort: config.metrics.sdkPort, shutdownSignals: [] });
  const db = connectDatabase(config.database);
  await waitForDatabase(db, { timeoutMs: 120_000, onWait: (error) => logger.warn({ err: error.message }, 'waiting for PostgreSQL') });
  await migrateToLatest(db);
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

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
