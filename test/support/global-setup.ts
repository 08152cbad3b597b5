// Jest global setup: a fresh PostgreSQL database, a Temporal dev server and the workflow bundle, shared by all tests.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Client } from 'pg';
import { connectDatabase } from '../../src/db/connect';
import { migrateToLatest } from '../../src/db/migrate';
import { freePort } from '../../src/dev/free-port';
import { startTemporalServer, type TemporalServer } from '../../src/dev/temporal-server';
import { SetupError, withDatabase } from './database-url';

declare global {
  var hooklineTestServices: { temporal: TemporalServer; adminUrl: string; database: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env.HOOKLINE_TEST_DATABASE_URL;
  const cliPath = process.env.TEMPORAL_CLI_PATH;
  if (!adminUrl || !cliPath) {
    throw new SetupError('Run the tests with `npm test`: it bootstraps PostgreSQL and the temporal CLI and sets HOOKLINE_TEST_DATABASE_URL and TEMPORAL_CLI_PATH.');
  }

  const database = `hookline_test_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const databaseUrl = withDatabase(adminUrl, database);
  const db = connectDatabase({ url: databaseUrl, poolMax: 2 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }

  const [temporal, bundle] = await Promise.all([
    freePort().then((port) => startTemporalServer({ cliPath, port, readyTimeoutMs: 90_000 })),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: quietBundlerLogger }),
  ]);
  const bundlePath = join(tmpdir(), `hookline-workflows-${process.pid}.js`);
  await writeFile(bundlePath, bundle.code);

  // Test workers inherit these; a TestWorkflowEnvironment object could not cross into them.
  process.env.HOOKLINE_TEST_DB_URL = databaseUrl;
  process.env.HOOKLINE_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.HOOKLINE_TEST_WORKFLOW_BUNDLE = bundlePath;
  globalThis.hooklineTestServices = { temporal, adminUrl, database };
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
