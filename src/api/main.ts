// API process entry point: validate config, connect, migrate, serve until SIGINT/SIGTERM.
import { temporalConnection } from '../orchestration/connection';
import { hooklineClient } from '../orchestration/client';
import { boot, exitOnFailure } from '../boot/boot';
import { HOOKLINE_VERSION } from '../version';
import { startApiServer } from './server';

async function main(): Promise<void> {
  const { config, logger, tracing, db } = await boot({ service: 'hookline-api' });
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

exitOnFailure(main());
