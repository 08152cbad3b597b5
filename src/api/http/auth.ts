// Who is calling: the operator (admin token) or a workspace (API key); nothing else gets in.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Db } from '../../db/connect';
import { hashApiKey } from '../../domain/api-key';
import { UnauthorizedError } from '../../domain/errors';
import { workspaceOfKey } from '../../store/workspaces';

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

export function requireWorkspaceKey(db: Db): RequestHandler {
  return async (req, res, next) => {
    try {
      const token = bearerToken(req.header('authorization'));
      if (!token) return next(new UnauthorizedError('Missing Authorization: Bearer <workspace API key>'));
      const workspaceId = await workspaceOfKey(db, hashApiKey(token));
      if (!workspaceId) return next(new UnauthorizedError('Invalid or revoked API key'));
      res.locals.workspaceId = workspaceId;
      next();
    } catch (error) {
      next(error);
    }
  };
}
