// Who the console acts as: a portal session (token in the portal URL) or a workspace (API key kept for this tab only).

const KEY_ITEM = 'hookline.workspace-key';

export type Credentials = { kind: 'portal'; token: string } | { kind: 'workspace'; key: string };

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
  return key ? { kind: 'workspace', key } : null;
}

export function rememberKey(key: string): Credentials {
  sessionStorage.setItem(KEY_ITEM, key);
  return { kind: 'workspace', key };
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY_ITEM);
}

export function bearerOf(credentials: Credentials): string {
  return credentials.kind === 'portal' ? credentials.token : credentials.key;
}
