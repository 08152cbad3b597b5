// Receivers that authenticate: an ed25519 key pair per destination (Standard Webhooks v1a) with its rotation, and Basic auth.
import type { Kysely } from 'kysely';

const COLUMNS = [
  // Sealed `whsk_` keys; the `whpk_` public keys are not secret and are read by every answer, so they stay plain.
  ['signing_key_sealed', 'text'],
  ['public_key', 'text'],
  ['previous_signing_key_sealed', 'text'],
  ['previous_public_key', 'text'],
  ['previous_signing_key_expires_at', 'timestamptz'],
  ['basic_auth_username', 'text'],
  ['basic_auth_password_sealed', 'text'],
] as const;

// Nullable columns without defaults: adding them rewrites nothing, however many destinations there are.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, type] of COLUMNS) await db.schema.alterTable('destinations').addColumn(name, type).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name] of COLUMNS) await db.schema.alterTable('destinations').dropColumn(name).execute();
}
