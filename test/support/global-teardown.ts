// Jest global teardown: stops the Temporal dev server and drops the run's database.
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const services = globalThis.hooklineTestServices;
  if (!services) return;
  await services.temporal.stop();
  const admin = new Client({ connectionString: services.adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${services.database} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
