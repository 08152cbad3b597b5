// Jest global setup: a fresh PostgreSQL database, a Temporal dev server and the workflow bundle, shared by all tests.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { freePort } from '../../src/dev/free-port';
import { startTemporalServer, type TemporalServer } from '../../src/dev/temporal-server';
import { createScratchDatabase, quietBundlerLogger, ScratchSetupError } from '../../src/dev/scratch-database';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../src/observability/temporal-tracing';

declare global {
  var hooklineTestServices: { temporal: TemporalServer; adminUrl: string; database: string; users: number } | undefined;
}

// Each jest project that needs servers runs this; the first starts them and the others share them.
export default async function globalSetup(): Promise<void> {
  if (globalThis.hooklineTestServices) {
    globalThis.hooklineTestServices.users += 1;
    return;
  }
  const adminUrl = process.env.HOOKLINE_TEST_DATABASE_URL;
  const cliPath = process.env.TEMPORAL_CLI_PATH;
  if (!adminUrl || !cliPath) {
    throw new ScratchSetupError(
      'Run the tests with `npm test`: it bootstraps PostgreSQL and the temporal CLI and sets HOOKLINE_TEST_DATABASE_URL and TEMPORAL_CLI_PATH.',
    );
  }

  const database = `hookline_test_${Date.now()}_${process.pid}`;
  const databaseUrl = await createScratchDatabase(adminUrl, database);

  const [temporal, bundle] = await Promise.all([
    freePort().then((port) => startTemporalServer({ cliPath, port, readyTimeoutMs: 90_000 })),
    bundleWorkflowCode({
      workflowsPath: require.resolve('../../src/workflows'),
      workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
      logger: quietBundlerLogger,
    }),
  ]);
  const bundlePath = join(tmpdir(), `hookline-workflows-${process.pid}.js`);
  await writeFile(bundlePath, bundle.code);

  // Test workers inherit these; a TestWorkflowEnvironment object could not cross into them.
  process.env.HOOKLINE_TEST_DB_URL = databaseUrl;
  process.env.HOOKLINE_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.HOOKLINE_TEST_WORKFLOW_BUNDLE = bundlePath;
  globalThis.hooklineTestServices = { temporal, adminUrl, database, users: 1 };
}
