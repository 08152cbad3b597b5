// Who the console acts as: a portal session (token in the portal URL), a workspace (API key) or the operator (admin token), kept for this tab only.

const KEY_ITEM = 'hookline.workspace-key';

export type Credentials = { kind: 'portal'; token: string } | { kind: 'workspace'; key: string } | { kind: 'operator'; token: string };

/** Workspace keys start with hk_; anything else signing in is taken for the operator's token. */
const WORKSPACE_KEY_PREFIX = 'hk_';

/** The portal's token arrives in its URL; a workspace key may arrive once in the fragment (from `npm run dev`), then moves to this tab's storage. */
export function initialCredentials(): Credentials | null {
  if (location.pathname.replace(/\/+$/, '') === '/console/portal') {
    const token = new URLSearchParams(location.search).get('token');
    return token ? { kind: 'portal', token } : null;
  }
  const fromFragment = /(?:^#|&)key=([^&]+)/.exec(location.hash)?.[1];
  if (fromFragment) {
    sessionStorage.setItem(KEY_ITEM, decodeURIComponent(fromFragment));
    history.replaceState(null, '', `${location.pathname}#/destinations`);
  }
  const key = sessionStorage.getItem(KEY_ITEM);
  return key ? credentialsOf(key) : null;
}

export function credentialsOf(secret: string): Credentials {
  return secret.startsWith(WORKSPACE_KEY_PREFIX) ? { kind: 'workspace', key: secret } : { kind: 'operator', token: secret };
}

export function rememberKey(secret: string): Credentials {
  sessionStorage.setItem(KEY_ITEM, secret);
  return credentialsOf(secret);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY_ITEM);
}

export function bearerOf(credentials: Credentials): string {
  return credentials.kind === 'workspace' ? credentials.key : credentials.token;
}
