// Bearer tokens for destinations with OAuth client credentials: this worker's copy, the row every worker shares, and one fetch per lifetime.
import type { Dispatcher } from 'undici';
import type { Config } from '../config/config';
import { readTokenAnswer, renewAtMs, tokenRequest, tokenSettingsKey, type OAuthSettings } from '../domain/oauth';
import { classifyNetworkError } from '../domain/retry-policy';
import { openSecret, sealSecret } from '../domain/secret-box';
import type { Renewal, RenewRequest, StoredToken } from '../store/destination-tokens';
import { sendWebhook } from './http/send';

export interface TokenStore {
  readToken(workspaceId: string, destinationId: string): Promise<StoredToken | null>;
  renewToken(request: RenewRequest, fetch: () => Promise<Renewal>): Promise<Renewal>;
}

/** A token to send (with its sealed form, to name it if the receiver refuses it), or why the endpoint gave none. */
export type Bearer = { ok: true; token: string; sealed: string } | { ok: false; reason: string };

const MAX_CACHED = 10_000;

export class OAuthTokens {
  // The plain token beside its sealed form: opening one costs an AES-GCM pass, and the same token serves every attempt.
  private readonly local = new Map<string, StoredToken & { token: string }>();

  constructor(private readonly deps: { store: TokenStore; http: Dispatcher; config: Config; now: () => number }) {}

  /** `refused`: the sealed token a receiver just answered 401 to, which is renewed whatever its renewal time. */
  async bearer(target: { workspaceId: string; destinationId: string; timeoutSeconds: number }, oauth: OAuthSettings, refused: string | null): Promise<Bearer> {
    const settingsKey = tokenSettingsKey(oauth);
    const nowMs = this.deps.now();
    const fits = (token: StoredToken | null | undefined): token is StoredToken =>
      !!token && token.settingsKey === settingsKey && token.renewAtMs > nowMs && token.accessTokenSealed !== refused;
    const local = this.local.get(target.destinationId);
    if (fits(local)) return { ok: true, token: local.token, sealed: local.accessTokenSealed };
    const shared = await this.deps.store.readToken(target.workspaceId, target.destinationId);
    const token = fits(shared)
      ? shared
      : await this.deps.store.renewToken({ ...target, settingsKey, nowMs, refused }, () => this.fetch(oauth, settingsKey, target.timeoutSeconds));
    if ('ok' in token && !token.ok) return token;
    const stored = 'ok' in token ? token.token : token;
    return { ok: true, token: this.remember(target.destinationId, stored), sealed: stored.accessTokenSealed };
  }

  private remember(destinationId: string, stored: StoredToken): string {
    const token = openSecret(stored.accessTokenSealed, this.deps.config.encryptionKey);
    if (this.local.size >= MAX_CACHED) this.local.delete(this.local.keys().next().value!);
    this.local.set(destinationId, { ...stored, token });
    return token;
  }

  /** The token endpoint, through the same dispatcher (and so the same address checks) as deliveries. */
  private async fetch(oauth: OAuthSettings, settingsKey: string, timeoutSeconds: number): Promise<Renewal> {
    const { headers, body } = tokenRequest(oauth, this.deps.config.encryptionKey);
    const result = await sendWebhook(
      { method: 'POST', url: oauth.token_url, headers, body, timeoutMs: timeoutSeconds * 1000 },
      { dispatcher: this.deps.http, allowPrivate: this.deps.config.destinations.allowPrivate, now: this.deps.now },
    );
    if (result.kind === 'error') {
      const outcome = classifyNetworkError(result.error);
      return { ok: false, reason: outcome.kind === 'success' ? result.error.message : outcome.reason };
    }
    const answer = readTokenAnswer(result.status, result.excerpt);
    if (!answer.ok) return answer;
    const fetchedAtMs = this.deps.now();
    return {
      ok: true,
      token: {
        accessTokenSealed: sealSecret(answer.accessToken, this.deps.config.encryptionKey),
        renewAtMs: renewAtMs(fetchedAtMs, answer.expiresInSeconds),
        settingsKey,
      },
    };
  }
}
