// Opens the kysely handle over a pg pool; the app only ever speaks the Postgres wire protocol.
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool, types } from 'pg';
import type { Database } from './schema';

// BIGINT counts (count(*)) arrive as strings by default; they fit in a JS number here.
types.setTypeParser(types.builtins.INT8, (value) => Number.parseInt(value, 10));

export type Db = Kysely<Database>;

export function connectDatabase(options: { url: string; poolMax: number }): Db {
  const pool = new Pool({ connectionString: options.url, max: options.poolMax });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** The cheapest round trip that proves the database answers (readiness). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
