// One-shot migration process (docker compose runs it before the API and worker).
import { loadConfig } from '../config/config';
import { connectDatabase } from './connect';
import { migrateToLatest } from './migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = connectDatabase(config.database);
  try {
    const applied = await migrateToLatest(db);
    console.log(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
