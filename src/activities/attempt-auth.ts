// Step 2b of an attempt, only for a destination with OAuth client credentials: the bearer token on the request, renewed once on a 401.
import { oauthOf } from '../store/destination-columns';
import type { AttemptContext } from '../store/attempt-context';
import type { PreparedRequest } from './attempt-request';
import type { SendResult } from './http/send';
import type { Bearer, OAuthTokens } from './oauth-token';

/** The request as sent with a token, and how to get it again with a fresh one after the receiver refused this one. */
export interface Authorized {
  request: PreparedRequest;
  /** Headers with a renewed token, or null when the endpoint gave none (the 401 then stands). */
  renew: () => Promise<Record<string, string> | null>;
}

function withToken(headers: Record<string, string>, token: string): Record<string, string> {
  return { ...headers, authorization: `Bearer ${token}` };
}

function withBearer(request: PreparedRequest, token: string): PreparedRequest {
  return {
    ...request,
    sentHeaders: withToken(request.sentHeaders, token),
    fallback: request.fallback && { ...request.fallback, sentHeaders: withToken(request.fallback.sentHeaders, token) },
  };
}

/** Null for a destination without OAuth; a failure (nothing was sent) when the token endpoint gave no token. */
export async function authorize(tokens: OAuthTokens, row: AttemptContext, request: PreparedRequest): Promise<Authorized | { failed: string } | null> {
  const oauth = oauthOf(row);
  if (oauth === null) return null;
  const target = { workspaceId: row.workspace_id, destinationId: row.destination_id, timeoutSeconds: row.timeout_seconds };
  const bearer: Bearer = await tokens.bearer(target, oauth, null);
  if (!bearer.ok) return { failed: bearer.reason };
  return {
    request: withBearer(request, bearer.token),
    renew: async () => {
      const fresh = await tokens.bearer(target, oauth, bearer.sealed);
      return fresh.ok && fresh.token !== bearer.token ? withToken(request.sentHeaders, fresh.token) : null;
    },
  };
}

/** What the attempt records when the token endpoint gave no token: a retryable failure, nothing sent to the receiver. */
export function tokenFailure(reason: string): SendResult {
  return { kind: 'error', error: { name: 'OAuthTokenError', code: 'oauth_token_failed', message: reason }, durationMs: 0 };
}
