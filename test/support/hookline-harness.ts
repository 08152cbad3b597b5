// A whole Hookline for integration tests: the standalone process (the real API and a real worker) on the test's own task queue.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { connectDatabase } from '../../src/db/connect';
import { createLogger } from '../../src/logging/logger';
import { startStandalone } from '../../src/standalone/standalone';
import { apiClient, type ApiHarness, type ObservedBy } from './api-harness';
import { TEST_ADMIN_TOKEN, testConfig, workflowBundlePath } from './test-env';

// Worker chatter, and the warnings every expected delivery failure logs, would bury test output; errors still show.
if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger('ERROR') });

export interface HooklineHarness extends ApiHarness {
  /** Stops the worker (as a deploy or crash would) without stopping the API. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
}

export async function startHookline(overrides: Record<string, string> = {}, observed: ObservedBy = {}): Promise<HooklineHarness> {
  // The API and the worker share one pool here, as in the standalone process; the bundle is built once per run.
  const config = testConfig({ HOOKLINE_WORKFLOW_BUNDLE: workflowBundlePath(), DATABASE_POOL_MAX: '10', ...overrides });
  const db = connectDatabase(config.database);
  const logger = observed.logger ?? createLogger({ level: config.logLevel, name: 'hookline-test' });
  const hookline = await startStandalone({ config, db, logger, ...(observed.tracing ? { tracing: observed.tracing } : {}), sdkMetricsPort: 0 });
  return {
    ...apiClient(hookline.url, TEST_ADMIN_TOKEN),
    db,
    config,
    temporal: hookline.temporal,
    adminToken: TEST_ADMIN_TOKEN,
    app: hookline.app,
    startWorker: hookline.startWorker,
    stopWorker: hookline.stopWorker,
    close: async () => {
      await hookline.stop();
      await db.destroy();
    },
  };
}

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
