// Who made a request, as an audited record names them: an API key by its id, a portal session by its id; never the secret.
import type { Response } from 'express';
import type { Db } from '../../db/connect';
import type { PortalScope } from '../../domain/portal-scope';
import { apiKeyIdOfHash } from '../../store/workspaces';

export async function actorOf(db: Db, workspaceId: string, res: Response): Promise<string> {
  const portal = res.locals.portal as PortalScope | undefined;
  if (portal) return `portal_session:${portal.sessionId}`;
  const keyHash = res.locals.apiKeyHash as string | undefined;
  const keyId = keyHash === undefined ? null : await apiKeyIdOfHash(db, workspaceId, keyHash);
  return keyId === null ? 'unknown' : `api_key:${keyId}`;
}

export function requestIdOf(res: Response): string | null {
  return typeof res.locals.requestId === 'string' ? res.locals.requestId : null;
}
