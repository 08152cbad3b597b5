// The destination form's receiver authentication: none, Basic auth, or OAuth 2.0 client credentials; passwords and secrets write-only.
import type { Destination } from '../types';

export type AuthKind = 'none' | 'basic' | 'oauth';

export interface ReceiverAuthState {
  kind: AuthKind;
  username: string;
  password: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  audience: string;
  clientAuth: 'basic' | 'body';
  /** The masks the API answered in place of what is stored (null: nothing stored); sent back, they keep it. */
  storedPassword: string | null;
  storedSecret: string | null;
}

export function receiverAuthStateOf(destination: Pick<Destination, 'basic_auth' | 'oauth'> | null): ReceiverAuthState {
  const basic = destination?.basic_auth ?? null;
  const oauth = destination?.oauth ?? null;
  return {
    kind: basic ? 'basic' : oauth ? 'oauth' : 'none',
    username: basic?.username ?? '',
    password: '',
    tokenUrl: oauth?.token_url ?? '',
    clientId: oauth?.client_id ?? '',
    clientSecret: '',
    scope: oauth?.scope ?? '',
    audience: oauth?.audience ?? '',
    clientAuth: oauth?.client_auth ?? 'basic',
    storedPassword: basic?.password ?? null,
    storedSecret: oauth?.client_secret ?? null,
  };
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/** What the API takes: both settings always sent, so switching one off clears it; an empty secret keeps the stored one. */
export function receiverAuthBody(state: ReceiverAuthState): { basic_auth: unknown; oauth: unknown } {
  return {
    basic_auth:
      state.kind === 'basic'
        ? { username: state.username.trim(), password: state.password === '' && state.storedPassword !== null ? state.storedPassword : state.password }
        : null,
    oauth:
      state.kind === 'oauth'
        ? {
            token_url: state.tokenUrl.trim(),
            client_id: state.clientId.trim(),
            client_secret: state.clientSecret === '' && state.storedSecret !== null ? state.storedSecret : state.clientSecret,
            scope: orNull(state.scope),
            audience: orNull(state.audience),
            client_auth: state.clientAuth,
          }
        : null,
  };
}

export function ReceiverAuthFields({ state, onChange }: { state: ReceiverAuthState; onChange: (state: ReceiverAuthState) => void }) {
  const set = (patch: Partial<ReceiverAuthState>) => onChange({ ...state, ...patch });
  const text = (name: 'username' | 'tokenUrl' | 'clientId' | 'scope' | 'audience') => ({
    value: state[name],
    onInput: (e: { currentTarget: { value: string } }) => set({ [name]: e.currentTarget.value }),
  });
  return (
    <fieldset>
      <legend>Receiver authentication</legend>
      <label>
        Authentication
        <select value={state.kind} onChange={(e) => set({ kind: e.currentTarget.value as AuthKind })}>
          <option value="none">None (signature only)</option>
          <option value="basic">Basic auth</option>
          <option value="oauth">OAuth 2.0 client credentials</option>
        </select>
      </label>
      {state.kind === 'basic' && (
        <div class="row">
          <label>
            Username
            <input autoComplete="off" {...text('username')} />
          </label>
          <label>
            Password
            <input
              type="password"
              autoComplete="new-password"
              placeholder={state.storedPassword !== null ? 'Unchanged' : ''}
              value={state.password}
              onInput={(e) => set({ password: e.currentTarget.value })}
            />
          </label>
        </div>
      )}
      {state.kind === 'oauth' && (
        <>
          <label>
            Token URL
            <input type="url" inputMode="url" placeholder="https://auth.example.com/oauth/token" {...text('tokenUrl')} />
          </label>
          <div class="row">
            <label>
              Client ID
              <input autoComplete="off" {...text('clientId')} />
            </label>
            <label>
              Client secret
              <input
                type="password"
                autoComplete="new-password"
                placeholder={state.storedSecret !== null ? 'Unchanged' : ''}
                value={state.clientSecret}
                onInput={(e) => set({ clientSecret: e.currentTarget.value })}
              />
            </label>
          </div>
          <div class="row">
            <label>
              Scope
              <input placeholder="Optional" {...text('scope')} />
            </label>
            <label>
              Audience
              <input placeholder="Optional" {...text('audience')} />
            </label>
            <label>
              Client authentication
              <select value={state.clientAuth} onChange={(e) => set({ clientAuth: e.currentTarget.value as 'basic' | 'body' })}>
                <option value="basic">Basic header</option>
                <option value="body">In the form body</option>
              </select>
            </label>
          </div>
        </>
      )}
      {state.kind !== 'none' && (
        <span class="help block">
          {state.kind === 'basic'
            ? 'Sent as Authorization: Basic with every request.'
            : 'A token is fetched before the first delivery, shared by every worker until shortly before it expires, and renewed once when the receiver answers 401.'}{' '}
          Passwords and secrets are sealed and never shown again; leave them empty to keep the stored ones.
        </span>
      )}
    </fieldset>
  );
}
