// An API that reaches PostgreSQL directly and a worker process that reaches it through a relay the test can cut.
import { loadConfig } from '../../src/config/config';
import { startApiHarness, type ApiHarness } from './api-harness';
import { relayTo, type TcpRelay } from './tcp-relay';
import { testEnv } from './test-env';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

export interface RelayedWorkerStack {
  /** The test reads and writes through this one while the worker's database is away. */
  api: ApiHarness;
  worker: WorkerProcess;
  /** Cut it and the worker sees PostgreSQL restarting. */
  database: TcpRelay;
  close(): Promise<void>;
}

export async function startWithRelayedWorkerDatabase(overrides: Record<string, string> = {}): Promise<RelayedWorkerStack> {
  const direct = new URL(process.env.HOOKLINE_TEST_DB_URL!);
  const database = await relayTo({ host: direct.hostname, port: Number(direct.port) });
  const viaRelay = new URL(direct.toString());
  viaRelay.port = String(database.port);
  const env = testEnv(overrides);
  const api = await startApiHarness({}, loadConfig(env));
  const worker = await startWorkerProcess({ ...env, DATABASE_URL: viaRelay.toString() });
  return {
    api,
    worker,
    database,
    close: async () => {
      await worker.stop();
      await api.close();
      await database.close();
    },
  };
}
