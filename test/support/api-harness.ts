// Runs Hookline's real API on loopback against the run's PostgreSQL and Temporal, with a request helper.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { temporalConnection } from '../../src/orchestration/connection';
import { hooklineClient } from '../../src/orchestration/client';
import { createApp, type HooklineApp } from '../../src/api/http/app';
import { cachedLookups } from '../../src/api/http/lookup-cache';
import type { Config } from '../../src/config/config';
import { connectDatabase, type Db } from '../../src/db/connect';
import { createLogger, type Logger } from '../../src/logging/logger';
import type { Tracing } from '../../src/observability/tracing';
import { HOOKLINE_VERSION } from '../../src/version';
import { TEST_ADMIN_TOKEN, testConfig } from './test-env';

export interface RequestOptions {
  key?: string;
  admin?: boolean;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

// Tests read arbitrary JSON; `any` keeps assertions terse where the shape is what is under test.
export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
}

/** What a spec says to a running API over HTTP, wherever it runs (this process, or a cluster's replica). */
export interface ApiClient {
  baseUrl: string;
  createWorkspace(name?: string): Promise<{ id: string; key: string }>;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
}

export interface ApiHarness extends ApiClient {
  db: Db;
  config: Config;
  temporal: Client;
  adminToken: string;
  app: HooklineApp;
  close(): Promise<void>;
}

/** What a spec of the logs or metrics hands in to observe the API. */
export interface ObservedBy {
  /** Receives the API's (and, in startHookline, the worker's) log lines; silent when absent. */
  logger?: Logger;
  /** Receives the worker's workflow spans (startHookline); the API's and activities' go to the global provider. */
  tracing?: Tracing;
}

/** The API alone, as the API process runs it: no worker, so nothing started is ever delivered (startHookline has one). */
export async function startApiHarness(
  overrides: Record<string, string> = {},
  config: Config = testConfig(overrides),
  observed: ObservedBy = {},
): Promise<ApiHarness> {
  const db = connectDatabase(config.database);
  // As in the API process: it serves (503 temporal_unavailable) while Temporal is away.
  const connection = temporalConnection(config);
  const temporal = hooklineClient(config, connection);
  const logger = observed.logger ?? createLogger({ level: config.logLevel, name: 'hookline-api-test' });
  // As the API process has it: key and schema lookups cached, emptied by every change PostgreSQL notifies.
  const lookups = cachedLookups(db, config.database.url, () => undefined);
  const app = createApp({ config, db, temporal, logger, version: HOOKLINE_VERSION, lookups });
  const server: Server = await new Promise((resolve) => {
    const listening = app.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const client = apiClient(baseUrl, TEST_ADMIN_TOKEN);

  return {
    ...client,
    db,
    config,
    temporal,
    adminToken: TEST_ADMIN_TOKEN,
    app,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
      await lookups.close();
      await db.destroy();
    },
  };
}

/** Requests to the API at `baseUrl`, as a workspace (key) or as the operator (admin). */
export function apiClient(baseUrl: string, adminToken: string): ApiClient {
  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.admin) headers.authorization = `Bearer ${adminToken}`;
    else if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON (e.g. the docs page): keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };

  const createWorkspace = async (name = 'Test workspace') => {
    const workspace = await request('POST', '/v1/workspaces', { admin: true, body: { name } });
    if (workspace.status !== 201) throw new Error(`creating a workspace answered ${workspace.status}: ${JSON.stringify(workspace.body)}`);
    const key = await request('POST', `/v1/workspaces/${workspace.body.id}/api-keys`, { admin: true, body: {} });
    if (key.status !== 201) throw new Error(`creating an API key answered ${key.status}: ${JSON.stringify(key.body)}`);
    return { id: workspace.body.id as string, key: key.body.key as string };
  };

  return { baseUrl, request, createWorkspace };
}
