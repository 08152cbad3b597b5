// Opens the kysely handle over a pg pool; the app only ever speaks the Postgres wire protocol.
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool, types } from 'pg';
import type { Database } from './schema';

// BIGINT counts (count(*)) arrive as strings by default; they fit in a JS number here.
types.setTypeParser(types.builtins.INT8, (value) => Number.parseInt(value, 10));

export type Db = Kysely<Database>;

export function connectDatabase(options: { url: string; poolMax: number }): Db {
  const pool = new Pool({ connectionString: options.url, max: options.poolMax });
  // An idle client whose server went away (a restart) emits `error` on the pool; unhandled, that ends the process.
  // The pool drops that client and the next query connects afresh, failing (→ 503) until the server is back.
  pool.on('error', () => undefined);
  // Likewise a client between two queries of a checked-out session: its next query fails instead.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Waits for the database at start (a compose stack, a restarting server) with one line a few seconds,
 * instead of failing the first migration with a confusing error.
 */
export async function waitForDatabase(db: Db, options: { timeoutMs: number; onWait: (error: Error) => void }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastReport = 0;
  for (;;) {
    try {
      return await pingDatabase(db);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not answer within ${Math.round(options.timeoutMs / 1000)} s: ${(error as Error).message}`);
      if (Date.now() - lastReport > 5_000) {
        options.onWait(error as Error);
        lastReport = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** The cheapest round trip that proves the database answers (readiness). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
