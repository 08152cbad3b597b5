// A whole Hookline for integration tests: the real API plus a real worker on the test's own task queue, in one process as the standalone process runs them.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { hooklineClient } from '../../src/orchestration/client';
import { connectDatabase } from '../../src/db/connect';
import { createHooklineWorker, type HooklineWorker } from '../../src/worker/worker';
import { startApiHarness, type ApiHarness, type ObservedBy } from './api-harness';
import { testConfig, workflowBundlePath } from './test-env';

// Worker chatter, and the warnings every expected delivery failure logs, would bury test output; errors still show.
if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger('ERROR') });

export interface HooklineHarness extends ApiHarness {
  /** Stops the worker (as a deploy or crash would) without stopping the API. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
}

export async function startHookline(overrides: Record<string, string> = {}, observed: ObservedBy = {}): Promise<HooklineHarness> {
  const config = testConfig(overrides);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  // As in the standalone process and `npm run dev`: event starts share the worker's connection and are eager.
  const eagerStarts = hooklineClient(config, connection);
  const api = await startApiHarness(overrides, config, observed, eagerStarts);
  const workerDb = connectDatabase(config.database);
  let worker: HooklineWorker | null = null;
  let running: Promise<void> | null = null;

  const startWorker = async () => {
    worker = await createHooklineWorker({
      config,
      db: workerDb,
      connection,
      workflowBundlePath: workflowBundlePath(),
      ...(observed.logger ? { logger: observed.logger } : {}),
      ...(observed.tracing ? { tracing: observed.tracing } : {}),
    });
    running = worker.run();
  };
  const stopWorker = async () => {
    if (!worker) return;
    worker.shutdown();
    await running;
    worker = null;
    running = null;
  };
  await startWorker();

  return {
    ...api,
    startWorker,
    stopWorker,
    close: async () => {
      await stopWorker();
      await connection.close();
      await workerDb.destroy();
      await api.close();
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
