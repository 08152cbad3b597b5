// What every router receives: configuration and the real connections, passed down, never global.
import type { Client } from '@temporalio/client';
import type { Lookups } from './lookup-cache';
import type { Logger } from 'pino';
import type { Config } from '../../config/config';
import type { Db } from '../../db/connect';
import type { ApiMetrics } from '../../observability/api-metrics';
import type { MetricsSource } from '../../observability/exposition';

export interface ApiDeps {
  config: Config;
  db: Db;
  temporal: Client;
  /** Set where a worker runs in this process (`npm run dev`, the standalone process): event starts go through its connection, eagerly. */
  eagerStarts?: Client;
  logger: Logger;
  version: string;
  /** Key and schema-version lookups; cached in the API and standalone processes, straight from PostgreSQL when absent. */
  lookups?: Lookups;
  /** The API's own metrics; a fresh registry when absent. */
  metrics?: ApiMetrics;
  /** What GET /metrics serves; the API's registry by default (`npm run dev` adds the worker's and the SDK's). */
  metricsSources?: MetricsSource[];
}
