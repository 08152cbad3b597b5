// Who is calling: the operator (admin token) or a workspace (API key); nothing else gets in.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Db } from '../db/connect';
import { ApiError } from './errors';

const KEY_PREFIX = 'hk_';

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, 10), hash: hashApiKey(key) };
}

/** Keys carry 256 random bits, so a fast hash is enough; only the hash is stored. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);

export function requireAdmin(adminToken: string): RequestHandler {
  const expected = createHash('sha256').update(adminToken).digest();
  return (req, _res, next) => {
    const token = bearerToken(req.header('authorization'));
    if (!token) return next(unauthorized('Missing Authorization: Bearer <admin token>'));
    const given = createHash('sha256').update(token).digest();
    if (!timingSafeEqual(given, expected)) return next(unauthorized('Invalid admin token'));
    next();
  };
}

export function requireWorkspaceKey(db: Db): RequestHandler {
  return async (req, res, next) => {
    try {
      const token = bearerToken(req.header('authorization'));
      if (!token) return next(unauthorized('Missing Authorization: Bearer <workspace API key>'));
      const row = await db
        .selectFrom('api_keys')
        .select(['workspace_id'])
        .where('key_hash', '=', hashApiKey(token))
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (!row) return next(unauthorized('Invalid or revoked API key'));
      res.locals.workspaceId = row.workspace_id;
      next();
    } catch (error) {
      next(error);
    }
  };
}
