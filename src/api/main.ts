// API process entry point: validate config, connect, migrate, serve until SIGINT/SIGTERM.
import { temporalConnection } from '../orchestration/connection';
import { hooklineClient } from '../orchestration/client';
import { loadConfig } from '../config/config';
import { connectDatabase, waitForDatabase } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { createLogger } from '../logging/logger';
import { startTracing } from '../observability/tracing';
import { HOOKLINE_VERSION } from '../version';
import { startApiServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'hookline-api' });
  const tracing = startTracing({ serviceName: 'hookline-api' });
  const db = connectDatabase(config.database);
  await waitForDatabase(db, { timeoutMs: 120_000, onWait: (error) => logger.warn({ err: error.message }, 'waiting for PostgreSQL') });
  await migrateToLatest(db);
  const connection = temporalConnection(config);
  const temporal = hooklineClient(config, connection);
  const server = await startApiServer({ config, db, temporal, logger, version: HOOKLINE_VERSION });
  logger.info({ url: server.url }, 'API listening');
  const stop = async () => {
    await server.close();
    await connection.close();
    await db.destroy();
    await tracing.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
