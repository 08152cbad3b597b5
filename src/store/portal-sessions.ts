// Portal sessions in PostgreSQL: issue, list, revoke, and the live-session lookup every portal request starts with.
import type { Db } from '../db/connect';
import type { PortalSession } from '../db/schema';
import { NotFoundError, UnauthorizedError } from '../domain/errors';
import type { PortalScope } from '../domain/portal-scope';

export interface NewPortalSession {
  id: string;
  destinationIds: string[] | null;
  eventTypes: string[] | null;
  readOnly: boolean;
  expiresAt: Date;
}

export async function insertPortalSession(db: Db, workspaceId: string, session: NewPortalSession): Promise<PortalSession> {
  return db
    .insertInto('portal_sessions')
    .values({
      id: session.id,
      workspace_id: workspaceId,
      destination_ids: session.destinationIds === null ? null : JSON.stringify(session.destinationIds),
      event_types: session.eventTypes === null ? null : JSON.stringify(session.eventTypes),
      read_only: session.readOnly,
      expires_at: session.expiresAt,
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Sessions not yet expired nor revoked, newest first. */
export async function listLivePortalSessions(db: Db, workspaceId: string, now: Date): Promise<PortalSession[]> {
  return db
    .selectFrom('portal_sessions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
}

export async function readPortalSession(db: Db, workspaceId: string, id: string): Promise<PortalSession> {
  const row = await db.selectFrom('portal_sessions').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('Portal session');
  return row;
}

export async function revokePortalSession(db: Db, workspaceId: string, id: string, now: Date): Promise<void> {
  const result = await db
    .updateTable('portal_sessions')
    .set({ revoked_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new NotFoundError('Portal session');
}

/** The scope of a session the token named; expiry and revocation are checked here on every request, not only in the token. */
export async function livePortalScope(db: Db, workspaceId: string, id: string, now: Date): Promise<PortalScope> {
  const row = await db.selectFrom('portal_sessions').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new UnauthorizedError('Invalid portal session token');
  if (row.revoked_at !== null) throw new UnauthorizedError('Portal session revoked');
  if (row.expires_at <= now) throw new UnauthorizedError('Portal session expired');
  return { sessionId: row.id, destinationIds: row.destination_ids, eventTypes: row.event_types, readOnly: row.read_only };
}
