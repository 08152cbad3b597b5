// The portal session's bearer token: a short JWT (HS256) naming the session and workspace, signed with a key derived from the encryption key.
import { hkdfSync } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { UnauthorizedError } from './errors';

const ISSUER = 'hookline';
const AUDIENCE = 'hookline-portal';

/** A key of its own (HKDF), so a portal token can never be confused with anything sealed by the encryption key. */
export function portalSigningKey(encryptionKey: Buffer): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'hookline portal session token v1', 32));
}

export async function signPortalToken(claims: { sessionId: string; workspaceId: string; expiresAt: Date }, key: Uint8Array): Promise<string> {
  return new SignJWT({ ws: claims.workspaceId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(claims.sessionId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
    .sign(key);
}

/** The session a token names, or UnauthorizedError saying whether it expired or is not ours. Revocation is the store's to check. */
export async function verifyPortalToken(token: string, key: Uint8Array): Promise<{ sessionId: string; workspaceId: string }> {
  try {
    const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    if (typeof payload.jti !== 'string' || typeof payload.ws !== 'string') throw new UnauthorizedError('Invalid portal session token');
    return { sessionId: payload.jti, workspaceId: payload.ws };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new UnauthorizedError('Portal session expired');
    if (error instanceof UnauthorizedError) throw error;
    throw new UnauthorizedError('Invalid portal session token');
  }
}
