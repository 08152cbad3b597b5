// The environment a test's Hookline runs with: the run's PostgreSQL and Temporal, and a task queue of its own.
import { randomUUID } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config/config';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
// A fixed key keeps failures reproducible; it protects nothing outside the test database.
const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\`, whose global setup starts PostgreSQL and Temporal.`);
  return value;
}

/** The environment variables a test's Hookline runs with; a worker process gets exactly these. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATABASE_URL: required('HOOKLINE_TEST_DB_URL'),
    DATABASE_POOL_MAX: '5',
    TEMPORAL_ADDRESS: required('HOOKLINE_TEST_TEMPORAL_ADDRESS'),
    HOOKLINE_TASK_QUEUE: `test-${randomUUID()}`,
    HOOKLINE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    HOOKLINE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    HOOKLINE_ALLOW_HTTP: 'true',
    HOOKLINE_ALLOW_PRIVATE_DESTINATIONS: 'true',
    // Worker processes of parallel spec files would contend for the fixed default ports; a spec that scrapes picks free ones.
    HOOKLINE_METRICS_PORT: '0',
    HOOKLINE_SDK_METRICS_PORT: '0',
    // Retention specs watch a window pass: a workspace may choose seconds here.
    HOOKLINE_MIN_RETENTION: '1s',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(testEnv(overrides));
}

export function workflowBundlePath(): string {
  return required('HOOKLINE_TEST_WORKFLOW_BUNDLE');
}
