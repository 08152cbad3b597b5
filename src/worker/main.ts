// Worker process entry point: connect to PostgreSQL and Temporal, migrate, and poll until signalled.
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config/config';
import { connectDatabase, waitForDatabase } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { createLogger } from '../logging/logger';
import { createHooklineWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'hookline-worker' });
  Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const db = connectDatabase(config.database);
  await waitForDatabase(db, { timeoutMs: 120_000, onWait: (error) => logger.warn({ err: error.message }, 'waiting for PostgreSQL') });
  await migrateToLatest(db);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createHooklineWorker({ config, db, connection });
  logger.info({ taskQueue: config.temporal.taskQueue, temporal: config.temporal.address }, 'worker polling');
  await worker.run();
  await connection.close();
  await db.destroy();
  logger.info('worker stopped');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
