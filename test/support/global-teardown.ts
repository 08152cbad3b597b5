// Jest global teardown: stops the Temporal dev server and drops the run's database.
import { dropScratchDatabase } from '../../src/dev/scratch-database';

export default async function globalTeardown(): Promise<void> {
  const services = globalThis.hooklineTestServices;
  if (!services) return;
  await services.temporal.stop();
  await dropScratchDatabase(services.adminUrl, services.database);
}
