// Mutual TLS per destination: the client certificate and CA in plain (they are public), the private key sealed, the expiry for its metric.
import type { Kysely } from 'kysely';

const COLUMNS = [
  ['client_certificate', 'text'],
  ['client_key_sealed', 'text'],
  ['client_ca', 'text'],
  ['client_certificate_expires_at', 'timestamptz'],
] as const;

// Nullable columns without defaults: adding them rewrites nothing, however many destinations there are.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, type] of COLUMNS) await db.schema.alterTable('destinations').addColumn(name, type).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name] of COLUMNS) await db.schema.alterTable('destinations').dropColumn(name).execute();
}
