// The operator's screen (admin token): the ingestion outbox, workspaces, and their API keys issued (shown once) or revoked.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { CopyButton, ErrorNotice, Loading, Notice } from '../components';
import { when } from '../format';
import type { ApiKey, Ingestion, Page, Workspace } from '../types';
import { useLoad } from '../use-load';

/** Every workspace, page by page: ids ascend with time, so past the first page the newest (just created) ones would be missing. */
async function allWorkspaces(): Promise<Workspace[]> {
  const all: Workspace[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Workspace> = await api.get<Page<Workspace>>(`/v1/workspaces?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    all.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}

/** Events accepted and not started yet: zero in a healthy deployment, growing while Temporal is away (they are kept). */
function IngestionPanel() {
  const ingestion = useLoad(() => api.get<Ingestion>('/v1/ingestion'), []);
  const outbox = ingestion.data?.outbox;
  return (
    <section class="panel" aria-labelledby="ingestion-title">
      <h2 id="ingestion-title">Ingestion</h2>
      <ErrorNotice error={ingestion.error} />
      {!outbox && !ingestion.error && <Loading what="the outbox" />}
      {outbox && outbox.waiting === 0 && <p>Nothing waiting: every accepted event has gone to its workflow.</p>}
      {outbox && outbox.waiting > 0 && (
        <Notice tone="warning">
          {outbox.waiting} accepted {outbox.waiting === 1 ? 'event waits for its workflow' : 'events wait for their workflows'} to start, the oldest for{' '}
          {outbox.oldest_age_seconds} s. They are kept and delivered once the workers reach Temporal.
        </Notice>
      )}
      <button type="button" class="button" onClick={() => void ingestion.reload()}>
        Refresh
      </button>
    </section>
  );
}

export function OperatorScreen() {
  const workspaces = useLoad(allWorkspaces, []);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<Error | undefined>(undefined);

  const create = async (event: Event) => {
    event.preventDefault();
    try {
      const created = await api.post<Workspace>('/v1/workspaces', { name });
      setName('');
      setChosen(created.id);
      setError(undefined);
      await workspaces.reload();
    } catch (caught) {
      setError(caught as Error);
    }
  };

  return (
    <section aria-labelledby="operator-title">
      <h1 id="operator-title">Workspaces</h1>
      <form class="panel row end" onSubmit={(e) => void create(e)} aria-label="Create a workspace">
        <label>
          Workspace name
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="button button-primary">
          Create workspace
        </button>
      </form>
      <ErrorNotice error={error ?? workspaces.error} />
      {!workspaces.data && !workspaces.error && <Loading what="workspaces" />}
      {workspaces.data && (
        <table class="table responsive" aria-label="Workspaces">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Id</th>
              <th scope="col">API keys</th>
            </tr>
          </thead>
          <tbody>
            {workspaces.data.map((workspace) => (
              <tr key={workspace.id}>
                <td data-label="Name">{workspace.name}</td>
                <td data-label="Id" class="mono">
                  {workspace.id}
                </td>
                <td data-label="API keys">
                  <button
                    type="button"
                    class="button"
                    aria-expanded={chosen === workspace.id}
                    onClick={() => setChosen(chosen === workspace.id ? null : workspace.id)}
                  >
                    {chosen === workspace.id ? 'Hide keys' : 'Keys'}
                    <span class="visually-hidden"> of {workspace.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chosen && <KeysPanel key={chosen} workspaceId={chosen} />}
      <IngestionPanel />
    </section>
  );
}

function KeysPanel({ workspaceId }: { workspaceId: string }) {
  const keys = useLoad(() => api.get<{ data: ApiKey[] }>(`/v1/workspaces/${workspaceId}/api-keys`), [workspaceId]);
  const [name, setName] = useState('');
  const [issued, setIssued] = useState<string | null>(null);
  const [error, setError] = useState<Error | undefined>(undefined);

  const issue = async (event: Event) => {
    event.preventDefault();
    try {
      const created = await api.post<{ key: string }>(`/v1/workspaces/${workspaceId}/api-keys`, name.trim() ? { name: name.trim() } : {});
      setIssued(created.key);
      setName('');
      setError(undefined);
      await keys.reload();
    } catch (caught) {
      setError(caught as Error);
    }
  };
  const revoke = async (keyId: string) => {
    await api.delete(`/v1/workspaces/${workspaceId}/api-keys/${keyId}`).catch((caught: Error) => setError(caught));
    await keys.reload();
  };

  return (
    <section class="panel" aria-labelledby="keys-title">
      <h2 id="keys-title">
        API keys of <span class="mono">{workspaceId}</span>
      </h2>
      <form class="row end" onSubmit={(e) => void issue(e)} aria-label="Issue an API key">
        <label>
          Key name (optional)
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="button button-primary">
          Issue key
        </button>
      </form>
      {issued && (
        <Notice tone="warning">
          <p>
            <strong>Copy this key now: it is shown only once.</strong>
          </p>
          <div class="secret-line">
            <code data-testid="issued-key">{issued}</code>
            <CopyButton text={issued} what="API key" />
          </div>
        </Notice>
      )}
      <ErrorNotice error={error ?? keys.error} />
      <ul class="plain">
        {keys.data?.data.map((key) => (
          <li key={key.id} class="row">
            <span class="mono">{key.prefix}…</span>
            <span>{key.name ?? <span class="muted">unnamed</span>}</span>
            <span class="muted">created {when(key.created_at)}</span>
            {key.revoked_at ? (
              <span class="badge badge-inactive">revoked {when(key.revoked_at)}</span>
            ) : (
              <button type="button" class="button button-danger" onClick={() => void revoke(key.id)}>
                Revoke<span class="visually-hidden"> key {key.prefix}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
