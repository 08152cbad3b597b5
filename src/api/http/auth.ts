// Who is calling: the operator (admin token), a workspace (API key) or a platform's customer (portal session token); nothing else gets in.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Lookups } from './lookup-cache';
import type { RequestHandler } from 'express';
import type { Db } from '../../db/connect';
import { hashApiKey } from '../../domain/api-key';
import { UnauthorizedError } from '../../domain/errors';
import { verifyPortalToken } from '../../domain/portal-token';
import { livePortalScope } from '../../store/portal-sessions';

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

export function requireAdmin(adminToken: string): RequestHandler {
  const expected = createHash('sha256').update(adminToken).digest();
  return (req, _res, next) => {
    const token = bearerToken(req.header('authorization'));
    if (!token) return next(new UnauthorizedError('Missing Authorization: Bearer <admin token>'));
    const given = createHash('sha256').update(token).digest();
    if (!timingSafeEqual(given, expected)) return next(new UnauthorizedError('Invalid admin token'));
    next();
  };
}

/** API keys start with `hk_`; anything else is taken for a portal session token (a JWT). */
const API_KEY_PREFIX = 'hk_';

/**
 * A workspace key, or a portal session token. A session's expiry and revocation are checked against its row on
 * every request (a token alone could not be revoked); its scope goes to res.locals.portal for the route to apply.
 */
export function requireWorkspaceKey(db: Db, lookups: Lookups, portalKey: Uint8Array): RequestHandler {
  return async (req, res, next) => {
    try {
      const token = bearerToken(req.header('authorization'));
      if (!token) return next(new UnauthorizedError('Missing Authorization: Bearer <workspace API key>'));
      if (!token.startsWith(API_KEY_PREFIX)) {
        const { sessionId, workspaceId } = await verifyPortalToken(token, portalKey);
        res.locals.portal = await livePortalScope(db, workspaceId, sessionId, new Date());
        res.locals.workspaceId = workspaceId;
        return next();
      }
      const keyHash = hashApiKey(token);
      const workspaceId = await lookups.workspaceOfKey(keyHash);
      if (!workspaceId) return next(new UnauthorizedError('Invalid or revoked API key'));
      res.locals.workspaceId = workspaceId;
      // Who acted, for the routes that record it (http/actor.ts): the key's id is read only there.
      res.locals.apiKeyHash = keyHash;
      next();
    } catch (error) {
      next(error);
    }
  };
}
