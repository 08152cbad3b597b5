// Sign in with a workspace API key (or the operator's admin token); it is kept for this browser tab only.
import { useState } from 'preact/hooks';
import { api, ApiError, setBearer } from '../api';
import { ErrorNotice } from '../components';
import { credentialsOf, rememberKey, type Credentials } from '../credentials';

export function SignIn({ onSignedIn, refusal }: { onSignedIn: (credentials: Credentials) => void; refusal: string | null }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<Error | undefined>(undefined);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBearer(key.trim());
    try {
      // Each kind of credential proves itself on a route only it may read.
      await api.get(credentialsOf(key.trim()).kind === 'operator' ? '/v1/workspaces?limit=1' : '/v1/event-types?limit=1');
      onSignedIn(rememberKey(key.trim()));
    } catch (caught) {
      setBearer(null);
      setError(caught instanceof ApiError && caught.status === 401 ? new Error('That key is not valid or has been revoked.') : (caught as Error));
    }
  };
  return (
    <main id="main" class="sign-in">
      <form class="panel form" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Hookline</h1>
        {refusal && <p class="notice notice-warning">{refusal}</p>}
        <label>
          API key or operator token
          <input
            type="password"
            autoComplete="off"
            required
            placeholder="hk_…"
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            aria-describedby="key-help"
          />
        </label>
        <span id="key-help" class="help">
          `npm run dev` prints one; an operator issues them with POST /v1/workspaces/{'{id}'}/api-keys.
        </span>
        <ErrorNotice error={error} />
        <button type="submit" class="button button-primary">
          Sign in
        </button>
      </form>
    </main>
  );
}
