// The destination form's Basic auth: username shown, password write-only (left empty, the stored one is kept).
export interface BasicAuthState {
  on: boolean;
  username: string;
  password: string;
  /** The mask the API answered in place of a stored password (null: none stored); sent back, it keeps that password. */
  storedMask: string | null;
}

export function basicAuthStateOf(auth: { username: string; password: string } | null): BasicAuthState {
  return { on: auth !== null, username: auth?.username ?? '', password: '', storedMask: auth?.password ?? null };
}

/** What the API takes: null switches it off; an empty password keeps the stored one. */
export function basicAuthBody(state: BasicAuthState): { username: string; password: string } | null {
  if (!state.on) return null;
  return { username: state.username.trim(), password: state.password === '' && state.storedMask !== null ? state.storedMask : state.password };
}

export function BasicAuthFields({ state, onChange }: { state: BasicAuthState; onChange: (state: BasicAuthState) => void }) {
  const set = (patch: Partial<BasicAuthState>) => onChange({ ...state, ...patch });
  return (
    <fieldset>
      <legend>Receiver authentication</legend>
      <label class="check">
        <input type="checkbox" checked={state.on} onChange={(e) => set({ on: e.currentTarget.checked })} /> Basic auth
      </label>
      {state.on && (
        <div class="row">
          <label>
            Username
            <input autoComplete="off" value={state.username} onInput={(e) => set({ username: e.currentTarget.value })} />
          </label>
          <label>
            Password
            <input
              type="password"
              autoComplete="new-password"
              placeholder={state.storedMask !== null ? 'Unchanged' : ''}
              aria-describedby="basic-auth-help"
              value={state.password}
              onInput={(e) => set({ password: e.currentTarget.value })}
            />
          </label>
        </div>
      )}
      {state.on && (
        <span id="basic-auth-help" class="help block">
          Sent as Authorization: Basic with every request. The password is sealed and never shown again; leave it empty to keep the stored one.
        </span>
      )}
    </fieldset>
  );
}
