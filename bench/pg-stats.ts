// Rows written to the benchmark's PostgreSQL database, from pg_stat_user_tables snapshots.
import { Client } from 'pg';

export type TableWrites = Record<string, { inserted: number; updated: number; deleted: number }>;

export interface RowsWritten {
  total: number;
  byTable: TableWrites;
}

/*
 * PostgreSQL publishes a backend's counters when it goes idle, at most once a second, and an idle
 * backend's leftovers after up to 10 s (or when it exits). A snapshot taken right after a scenario may
 * therefore miss its last second; the run's total, taken after the worker and the API have exited, is exact.
 */
export class PostgresWriteCounter {
  private constructor(private readonly client: Client) {}

  static async connect(url: string): Promise<PostgresWriteCounter> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return new PostgresWriteCounter(client);
  }

  async snapshot(): Promise<TableWrites> {
    // Another session's published counters are cached per transaction; clear that cache to read fresh values.
    await this.client.query('SELECT pg_stat_clear_snapshot()');
    const result = await this.client.query<{ relname: string; ins: string; upd: string; del: string }>(
      'SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_del AS del FROM pg_stat_user_tables',
    );
    const tables: TableWrites = {};
    for (const row of result.rows) {
      tables[row.relname] = { inserted: Number(row.ins), updated: Number(row.upd), deleted: Number(row.del) };
    }
    return tables;
  }

  /** Counts in a database query of the run's own rows, for drains that wait on PostgreSQL state. */
  async count(sqlText: string, params: unknown[]): Promise<number> {
    const result = await this.client.query<{ n: string }>(sqlText, params);
    return Number(result.rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

/** Rows the given workspaces hold, per table: what an ingest-only workspace inserted and nothing else. */
export async function workspaceRowCounts(counter: PostgresWriteCounter, workspaceIds: string[], tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    counts[table] = await counter.count(`SELECT count(*) AS n FROM ${table} WHERE workspace_id = ANY($1)`, [workspaceIds]);
  }
  return counts;
}

/** Takes rows inserted outside the delivery scenarios (ingest-only events) out of a total. */
export function withoutInserted(rows: RowsWritten, inserted: Record<string, number>): RowsWritten {
  const byTable: TableWrites = {};
  let total = 0;
  for (const [table, writes] of Object.entries(rows.byTable)) {
    const adjusted = { ...writes, inserted: writes.inserted - (inserted[table] ?? 0) };
    const sum = adjusted.inserted + adjusted.updated + adjusted.deleted;
    if (sum === 0) continue;
    byTable[table] = adjusted;
    total += sum;
  }
  return { total, byTable };
}

export function rowsWrittenBetween(before: TableWrites, after: TableWrites): RowsWritten {
  const byTable: TableWrites = {};
  let total = 0;
  for (const [table, now] of Object.entries(after)) {
    const was = before[table] ?? { inserted: 0, updated: 0, deleted: 0 };
    const delta = { inserted: now.inserted - was.inserted, updated: now.updated - was.updated, deleted: now.deleted - was.deleted };
    const sum = delta.inserted + delta.updated + delta.deleted;
    if (sum === 0) continue;
    byTable[table] = delta;
    total += sum;
  }
  return { total, byTable };
}
