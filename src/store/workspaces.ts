// Workspaces and their API keys in PostgreSQL; the key lookup every workspace request starts with.
import type { Db } from '../db/connect';
import { notifyConfigChange } from './notifications';
import { NotFoundError } from '../domain/errors';
import { newId } from '../domain/ids';
import { seedDefaultEventTypes } from './event-types';

/** A workspace starts with the default event catalog, in the same transaction. */
export async function createWorkspace(db: Db, name: string): Promise<{ id: string; name: string }> {
  const workspace = { id: newId('ws'), name };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('workspaces').values(workspace).execute();
    await seedDefaultEventTypes(trx, workspace.id);
  });
  return workspace;
}

/** A page of workspaces in id (creation) order, for the operator. */
export async function listWorkspaces(db: Db, query: { after?: string; limit: number }): Promise<{ id: string; name: string; created_at: Date }[]> {
  let select = db.selectFrom('workspaces').select(['id', 'name', 'created_at']);
  if (query.after !== undefined) select = select.where('id', '>', query.after);
  return select.orderBy('id').limit(query.limit).execute();
}

export async function requireWorkspace(db: Db, id: string): Promise<void> {
  const row = await db.selectFrom('workspaces').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('Workspace');
}

export async function insertApiKey(db: Db, workspaceId: string, key: { name: string | null; prefix: string; hash: string }): Promise<string> {
  await requireWorkspace(db, workspaceId);
  const id = newId('key');
  await db.insertInto('api_keys').values({ id, workspace_id: workspaceId, name: key.name, prefix: key.prefix, key_hash: key.hash, revoked_at: null }).execute();
  return id;
}

export async function listApiKeys(db: Db, workspaceId: string) {
  await requireWorkspace(db, workspaceId);
  return db.selectFrom('api_keys').select(['id', 'name', 'prefix', 'created_at', 'revoked_at']).where('workspace_id', '=', workspaceId).orderBy('id').execute();
}

/** With its notification, in one transaction: every API replica's cache forgets the key when the revocation commits. */
export async function revokeApiKey(db: Db, workspaceId: string, keyId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', keyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFoundError('API key');
    await notifyConfigChange(trx);
  });
}

/** The workspace a live key belongs to; the only query not scoped by a workspace, because it is how we learn it. */
export async function workspaceOfKey(db: Db, keyHash: string): Promise<string | null> {
  const row = await db.selectFrom('api_keys').select(['workspace_id']).where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
  return row?.workspace_id ?? null;
}

/** The origins allowed to frame the workspace's portal; empty when the workspace is unknown. */
export async function portalFrameAncestors(db: Db, workspaceId: string): Promise<string[]> {
  const row = await db.selectFrom('workspaces').select(['portal_frame_ancestors']).where('id', '=', workspaceId).executeTakeFirst();
  return row?.portal_frame_ancestors ?? [];
}

export async function setPortalFrameAncestors(db: Db, workspaceId: string, origins: string[]): Promise<string[]> {
  const row = await db
    .updateTable('workspaces')
    .set({ portal_frame_ancestors: JSON.stringify(origins) })
    .where('id', '=', workspaceId)
    .returning(['portal_frame_ancestors'])
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Workspace');
  return row.portal_frame_ancestors;
}

/** The id of a live key of the workspace with this hash: how an audited action names the key that asked. */
export async function apiKeyIdOfHash(db: Db, workspaceId: string, keyHash: string): Promise<string | null> {
  const row = await db.selectFrom('api_keys').select(['id']).where('workspace_id', '=', workspaceId).where('key_hash', '=', keyHash).executeTakeFirst();
  return row?.id ?? null;
}
