// The OAuth access tokens of destinations, shared by every worker: read, and renewed by one worker at a time under a per-destination lock.
import { sql } from 'kysely';
import type { Db } from '../db/connect';

export interface StoredToken {
  accessTokenSealed: string;
  renewAtMs: number;
  settingsKey: string;
}

export type Renewal = { ok: true; token: StoredToken } | { ok: false; reason: string };

export interface RenewRequest {
  workspaceId: string;
  destinationId: string;
  settingsKey: string;
  nowMs: number;
  /** The token a receiver just refused (401): renewed even though it has not reached its renewal time. */
  refused: string | null;
}

export async function readToken(db: Db, workspaceId: string, destinationId: string): Promise<StoredToken | null> {
  const row = await db
    .selectFrom('destination_tokens')
    .select(['access_token_sealed', 'renew_at', 'settings_key'])
    .where('workspace_id', '=', workspaceId)
    .where('destination_id', '=', destinationId)
    .executeTakeFirst();
  return row ? { accessTokenSealed: row.access_token_sealed, renewAtMs: row.renew_at.getTime(), settingsKey: row.settings_key } : null;
}

function usable(token: StoredToken | null, request: RenewRequest): token is StoredToken {
  return token !== null && token.settingsKey === request.settingsKey && token.renewAtMs > request.nowMs && token.accessTokenSealed !== request.refused;
}

/**
 * Under a transaction-scoped advisory lock on the destination, so that of the workers wanting a token at once one asks
 * the token endpoint and the others, once it is done, read what it stored. `fetch` runs inside the lock: the lock's
 * holder is the one fetching, and a failed fetch stores nothing (the next attempt asks again).
 */
export async function renewToken(db: Db, request: RenewRequest, fetch: () => Promise<Renewal>): Promise<Renewal> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`destination-token:${request.destinationId}`}, 0))`.execute(trx);
    const current = await readToken(trx, request.workspaceId, request.destinationId);
    if (usable(current, request)) return { ok: true, token: current };
    const renewed = await fetch();
    if (!renewed.ok) return renewed;
    await trx
      .insertInto('destination_tokens')
      .values({
        destination_id: request.destinationId,
        workspace_id: request.workspaceId,
        settings_key: renewed.token.settingsKey,
        access_token_sealed: renewed.token.accessTokenSealed,
        renew_at: new Date(renewed.token.renewAtMs),
      })
      .onConflict((conflict) =>
        conflict.column('destination_id').doUpdateSet((eb) => ({
          settings_key: eb.ref('excluded.settings_key'),
          access_token_sealed: eb.ref('excluded.access_token_sealed'),
          renew_at: eb.ref('excluded.renew_at'),
          fetched_at: sql`now()`,
          fetches: sql`destination_tokens.fetches + 1`,
        })),
      )
      .execute();
    return renewed;
  });
}
