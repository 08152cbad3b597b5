// Brings a database to the latest schema with kysely's Migrator; safe to run on every start.
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Db } from './connect';
import * as initial from './migrations/0001_initial';
import * as deliveryListing from './migrations/0002_delivery_listing';
import * as destinationHealth from './migrations/0003_destination_health';
import * as eventRejection from './migrations/0004_event_rejection';
import * as operability from './migrations/0004_operability';
import * as portalSessions from './migrations/0004_portal_sessions';
import * as hexRotation from './migrations/0005_hex_rotation';
import * as eventOutbox from './migrations/0006_event_outbox';
import * as outboxFairClaims from './migrations/0007_outbox_fair_claims';
import * as deliveryControl from './migrations/0008_delivery_control';
import * as orderedLanes from './migrations/0009_ordered_lanes';
import * as coalescing from './migrations/0010_coalescing';
import * as receiverAuth from './migrations/0011_receiver_auth';
import * as oauth from './migrations/0012_oauth';
import * as clientTls from './migrations/0013_client_tls';
import * as retention from './migrations/0014_retention';

// Listed statically so the same code runs from src (tsx, jest) and from dist.
const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_delivery_listing': deliveryListing,
  '0003_destination_health': destinationHealth,
  '0004_event_rejection': eventRejection,
  '0004_operability': operability,
  '0004_portal_sessions': portalSessions,
  '0005_hex_rotation': hexRotation,
  '0006_event_outbox': eventOutbox,
  '0007_outbox_fair_claims': outboxFairClaims,
  '0008_delivery_control': deliveryControl,
  '0009_ordered_lanes': orderedLanes,
  '0010_coalescing': coalescing,
  '0011_receiver_auth': receiverAuth,
  '0012_oauth': oauth,
  '0013_client_tls': clientTls,
  '0014_retention': retention,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${(error as Error).message ?? String(error)}`);
  }
  return (results ?? []).map((result) => result.migrationName);
}
