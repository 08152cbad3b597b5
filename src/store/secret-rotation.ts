// Rotation of what signs: the new secret or ed25519 key with the old one kept for a grace period, and which secret a hex-scheme receiver accepts.
import type { Db } from '../db/connect';
import { findDestination, loadEventTypes, type DestinationWithTypes } from './destinations';

/** Locked so two rotations in flight cannot both keep the same "previous" and lose a secret someone was shown. */
export async function rotateSecret(db: Db, workspaceId: string, id: string, input: { secretSealed: string; graceMs: number }): Promise<DestinationWithTypes> {
  const row = await db.transaction().execute(async (trx) => {
    const current = await findDestination(trx, workspaceId, id, true);
    const now = new Date();
    return trx
      .updateTable('destinations')
      .set({
        secret_sealed: input.secretSealed,
        previous_secret_sealed: input.graceMs > 0 ? current.secret_sealed : null,
        previous_secret_expires_at: input.graceMs > 0 ? new Date(now.getTime() + input.graceMs) : null,
        // A new rotation starts with the new secret: the receiver tells us (401/403) if it still holds the old one.
        receiver_holds_previous_secret: false,
        updated_at: now,
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return { row, eventTypes: (await loadEventTypes(db, workspaceId, [row.id])).get(row.id) ?? [] };
}

/** As for secrets: locked, and the replaced key keeps signing until the grace period ends (a destination without one has none to keep). */
export async function rotateSigningKey(
  db: Db,
  workspaceId: string,
  id: string,
  input: { signingKeySealed: string; publicKey: string; graceMs: number },
): Promise<DestinationWithTypes> {
  const row = await db.transaction().execute(async (trx) => {
    const current = await findDestination(trx, workspaceId, id, true);
    const now = new Date();
    const keep = input.graceMs > 0 && current.signing_key_sealed !== null;
    return trx
      .updateTable('destinations')
      .set({
        signing_key_sealed: input.signingKeySealed,
        public_key: input.publicKey,
        previous_signing_key_sealed: keep ? current.signing_key_sealed : null,
        previous_public_key: keep ? current.public_key : null,
        previous_signing_key_expires_at: keep ? new Date(now.getTime() + input.graceMs) : null,
        updated_at: now,
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return { row, eventTypes: (await loadEventTypes(db, workspaceId, [row.id])).get(row.id) ?? [] };
}

/**
 * Hex scheme, during a grace period: the secret the receiver accepted when the other was refused (401/403). Later
 * deliveries sign with it first, so a receiver that compares the header exactly is asked once per switch, not per event.
 */
export async function rememberAcceptedSecret(db: Db, workspaceId: string, destinationId: string, previous: boolean): Promise<void> {
  await db
    .updateTable('destinations')
    .set({ receiver_holds_previous_secret: previous })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', destinationId)
    .execute();
}
