// What every scenario gets: the API client, the receivers, the run's options and read access to Temporal and PostgreSQL.
import type { Client } from '@temporalio/client';
import type { HooklineApi } from './hookline-api';
import type { BenchOptions } from './options';
import type { PostgresWriteCounter } from './pg-stats';
import type { ReceiverFarm } from './receivers';

export interface ScenarioContext {
  api: HooklineApi;
  receivers: ReceiverFarm;
  options: BenchOptions;
  temporal: Client;
  pg: PostgresWriteCounter;
  /** Hookline's database, for a scenario that writes a backlog directly (purge under load), and its task queue. */
  databaseUrl: string;
  taskQueue: string;
}

/** A scenario's figures plus the work it caused, so CPU and rows can be put per delivery. */
export interface ScenarioOutcome<T> {
  result: T;
  /** Successful deliveries (or accepted events for ingest-only) the scenario produced. */
  units: number;
  unitName: 'deliveries' | 'events';
  /** The scenario's own workspace: its workflows are the ones whose histories are counted (bench/temporal-cost.ts). */
  workspaceId?: string;
}

/** Drains wait this long at most; a scenario that cannot drain reports its undelivered count instead of hanging. */
export const DRAIN_TIMEOUT_MS = 30_000;
