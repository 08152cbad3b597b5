// Throwaway databases for the test suite and the benchmark: created and migrated on a server, dropped after.
import { Client } from 'pg';
import { connectDatabase } from '../db/connect';
import { migrateToLatest } from '../db/migrate';

export class ScratchSetupError extends Error {
  override name = 'ScratchSetupError';
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onAdmin(adminUrl: string, statement: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** Creates `database` (a plain identifier we chose) and migrates it; answers its URL. */
export async function createScratchDatabase(adminUrl: string, database: string): Promise<string> {
  await onAdmin(adminUrl, `CREATE DATABASE ${database}`);
  const url = withDatabase(adminUrl, database);
  const db = connectDatabase({ url, poolMax: 2 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return url;
}

export async function dropScratchDatabase(adminUrl: string, database: string): Promise<void> {
  await onAdmin(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}

/** The workflow bundler's logger without its progress chatter; warnings and errors still show. */
export const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
