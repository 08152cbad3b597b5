// What every Hookline process does first, in this order: config → logger → tracing → database (waited for) → migrations.
import type { Logger } from 'pino';
import { type Config, loadConfig } from '../config/config';
import { connectDatabase, type Db, waitForDatabase } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { createLogger } from '../logging/logger';
import { startTracing, type Tracing } from '../observability/tracing';

export interface Booted {
  config: Config;
  logger: Logger;
  tracing: Tracing;
  db: Db;
}

export interface BootOptions {
  /** The logger's name and the traces' service name. */
  service: string;
  /** A configuration made already (`npm run dev` derives its own); otherwise it is read from the environment. */
  config?: Config;
  /** One readable line per request and attempt instead of JSON (`npm run dev`). */
  pretty?: boolean;
  /** Runs once the logger exists and before the database is touched (the worker's Temporal runtime). */
  beforeDatabase?: (booted: Pick<Booted, 'config' | 'logger'>) => void;
}

/** A database still starting (compose, a rolling restart) is waited for, with a warning each time, for up to two minutes. */
export async function boot(options: BootOptions): Promise<Booted> {
  const config = options.config ?? loadConfig();
  const logger = createLogger({ level: config.logLevel, name: options.service, ...(options.pretty ? { pretty: true } : {}) });
  const tracing = startTracing({ serviceName: options.service });
  options.beforeDatabase?.({ config, logger });
  const db = connectDatabase(config.database);
  await waitForDatabase(db, { timeoutMs: 120_000, onWait: (error) => logger.warn({ err: error.message }, 'waiting for PostgreSQL') });
  await migrateToLatest(db);
  return { config, logger, tracing, db };
}

/** Every entry point ends the same way on a start-up failure: the message alone (a config error names the variable), exit 1. */
export function exitOnFailure(started: Promise<void>): void {
  started.catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
