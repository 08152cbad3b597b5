// The HTTP exchange of an attempt: one request (a second at once after a 401 to a stale OAuth token, or to a hex-scheme receiver mid-rotation), traced and heartbeating, and what its answer means.
import { Context } from '@temporalio/activity';
import { classifyNetworkError, classifyResponse, type AttemptOutcome } from '../domain/retry-policy';
import { sendTraced } from '../observability/outgoing-span';
import type { AttemptContext } from '../store/attempt-context';
import type { PreparedRequest } from './attempt-request';
import type { AttemptDeps } from './attempt.activity';
import { sendWebhook, type SendResult } from './http/send';

/** Step 3b: the HTTP exchange, heartbeating so Temporal notices a dead worker in seconds, not at the deadline. */
export async function send(
  deps: AttemptDeps,
  row: AttemptContext,
  request: PreparedRequest,
  renewToken?: () => Promise<Record<string, string> | null>,
): Promise<SendResult> {
  const first = await exchange(deps, row, request, request.sentHeaders);
  if (renewToken && first.kind === 'response' && first.status === 401) {
    // The receiver refused the OAuth token (revoked, or expired early): once with a fresh one before the attempt counts.
    const renewed = await renewToken();
    if (renewed !== null) {
      const second = await exchange(deps, row, request, renewed);
      return { ...second, durationMs: first.durationMs + second.durationMs };
    }
  }
  const refused = first.kind === 'response' && (first.status === 401 || first.status === 403);
  if (!request.fallback || !refused) return first;
  // A hex-scheme receiver mid-rotation refused this signature: the same request with the other secret's, at once.
  const second = await exchange(deps, row, request, request.fallback.sentHeaders);
  if (second.kind === 'response' && second.status >= 200 && second.status < 300) {
    // Best effort: the receiver has the delivery, and a lost note only costs the next delivery one refused request.
    await deps.store
      .rememberAcceptedSecret(row.workspace_id, row.destination_id, request.fallback.signedWithPrevious)
      .catch((error: unknown) =>
        Context.current().log.warn('could not note which secret the receiver accepted', { destinationId: row.destination_id, error: String(error) }),
      );
  }
  return { ...second, durationMs: first.durationMs + second.durationMs };
}

async function exchange(deps: AttemptDeps, row: AttemptContext, request: PreparedRequest, headers: Record<string, string>): Promise<SendResult> {
  const url = request.url;
  // A local activity (the event workflow's inline first attempt) cannot heartbeat: its workflow task is its lease.
  const heartbeat = Context.current().info.isLocal ? undefined : setInterval(() => Context.current().heartbeat(), 1_000);
  try {
    return await sendTraced({ method: row.method, url, headers, propagate: row.trace_context }, () =>
      sendWebhook(
        { method: row.method, url, headers, body: row.method === 'GET' ? null : request.body, timeoutMs: row.timeout_seconds * 1000 },
        { dispatcher: dispatcherFor(deps, row), allowPrivate: deps.config.destinations.allowPrivate, now: () => deps.now().getTime() },
      ),
    );
  } finally {
    clearInterval(heartbeat);
  }
}

/** The worker's shared Agent, or the destination's own when it presents a client certificate. */
function dispatcherFor(deps: AttemptDeps, row: AttemptContext) {
  if (row.client_certificate === null || row.client_key_sealed === null) return deps.http;
  return deps.clientTls.for(row.destination_id, { certificate: row.client_certificate, sealedKey: row.client_key_sealed, ca: row.client_ca });
}

/** Where a redirect pointed, made absolute against the request URL so the message is the URL to configure. */
function redirectTarget(location: string | undefined, requestUrl: string): string | null {
  if (!location) return null;
  try {
    return new URL(location, requestUrl).toString();
  } catch {
    return location;
  }
}

export function outcomeOf(result: SendResult, requestUrl: string): AttemptOutcome {
  // Nothing was sent: the token endpoint gave no token (attempt-auth.ts); a later attempt asks it again.
  if (result.kind === 'error' && result.error.code === 'oauth_token_failed') return { kind: 'retryable', reason: 'oauth_token_failed' };
  if (result.kind === 'error') return classifyNetworkError(result.error);
  return classifyResponse(result.status, redirectTarget(result.headers.location, requestUrl));
}
