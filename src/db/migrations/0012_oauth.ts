// OAuth 2.0 client credentials per destination, and the access tokens every worker shares (fetched once per lifetime, not per attempt).
import { sql, type Kysely } from 'kysely';

const COLUMNS = ['oauth_token_url', 'oauth_client_id', 'oauth_client_secret_sealed', 'oauth_scope', 'oauth_audience', 'oauth_client_auth'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const name of COLUMNS) await db.schema.alterTable('destinations').addColumn(name, 'text').execute();
  await db.schema
    .createTable('destination_tokens')
    .addColumn('destination_id', 'text', (column) => column.primaryKey())
    .addColumn('workspace_id', 'text', (column) => column.notNull())
    // Which settings fetched it (domain/oauth.ts tokenSettingsKey): a changed secret or scope makes the row stale.
    .addColumn('settings_key', 'text', (column) => column.notNull())
    .addColumn('access_token_sealed', 'text', (column) => column.notNull())
    .addColumn('renew_at', 'timestamptz', (column) => column.notNull())
    .addColumn('fetched_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('fetches', 'integer', (column) => column.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('destination_tokens').execute();
  for (const name of COLUMNS) await db.schema.alterTable('destinations').dropColumn(name).execute();
}
