// Jest global teardown: stops the Temporal dev server and drops the run's database.
import { dropScratchDatabase } from '../../src/dev/scratch-database';

export default async function globalTeardown(): Promise<void> {
  const services = globalThis.hooklineTestServices;
  if (!services) return;
  // The last project to finish stops what the first one started.
  services.users -= 1;
  if (services.users > 0) return;
  globalThis.hooklineTestServices = undefined;
  await services.temporal.stop();
  await dropScratchDatabase(services.adminUrl, services.database);
}
