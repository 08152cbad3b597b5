// Portal sessions: open a scoped, short-lived view for a customer, revoke it, and say which sites may embed it.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { CopyButton, ErrorNotice, Loading, Notice } from '../components';
import { when } from '../format';
import type { Destination, Page, PortalSession } from '../types';
import { useLoad } from '../use-load';

export function PortalSessionsScreen() {
  const loaded = useLoad(async () => {
    const [sessions, destinations, settings] = await Promise.all([
      api.get<{ data: PortalSession[] }>('/v1/portal-sessions'),
      api.get<Page<Destination>>('/v1/destinations?limit=100'),
      api.get<{ frame_ancestors: string[] }>('/v1/portal-settings'),
    ]);
    return { sessions: sessions.data, destinations: destinations.data, ancestors: settings.frame_ancestors };
  }, []);
  const [minutes, setMinutes] = useState('60');
  const [chosen, setChosen] = useState<string[]>([]);
  const [readOnly, setReadOnly] = useState(false);
  const [types, setTypes] = useState('');
  const [opened, setOpened] = useState<string | null>(null);
  const [ancestors, setAncestors] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  if (!loaded.data) return loaded.error ? <ErrorNotice error={loaded.error} /> : <Loading what="portal sessions" />;
  const data = loaded.data;

  const eventTypes = types
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
  const open = async (event: Event) => {
    event.preventDefault();
    try {
      const session = await api.post<{ url: string }>('/v1/portal-sessions', {
        expires_in_seconds: Math.round(Number(minutes) * 60),
        read_only: readOnly,
        ...(chosen.length > 0 ? { destination_ids: chosen } : {}),
        ...(eventTypes.length > 0 ? { event_types: eventTypes } : {}),
      });
      setOpened(session.url);
      setError(undefined);
      await loaded.reload();
    } catch (caught) {
      setError(caught as Error);
    }
  };
  const revoke = async (id: string) => {
    await api.delete(`/v1/portal-sessions/${id}`).catch((caught: Error) => setError(caught));
    await loaded.reload();
  };
  const saveAncestors = async (event: Event) => {
    event.preventDefault();
    try {
      const origins = (ancestors ?? data.ancestors.join('\n')).split(/[\s,]+/).filter(Boolean);
      await api.put('/v1/portal-settings', { frame_ancestors: origins });
      setSaved(true);
      setError(undefined);
    } catch (caught) {
      setError(caught as Error);
    }
  };

  return (
    <section aria-labelledby="portal-title">
      <h1 id="portal-title">Customer portal</h1>
      <p>
        Open a portal session for one of your customers and show its URL in an iframe or a link: they see and manage only what it is scoped to, never your API
        keys.
      </p>
      <ErrorNotice error={error} />
      <form class="panel form" onSubmit={(e) => void open(e)} aria-labelledby="open-title">
        <h2 id="open-title">Open a session</h2>
        <label>
          Expires after (minutes)
          <input type="number" min={1} max={1440} value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
        </label>
        <fieldset>
          <legend>Destinations (none chosen: all, and it may create new ones)</legend>
          {data.destinations.map((destination) => (
            <label class="check" key={destination.id}>
              <input
                type="checkbox"
                checked={chosen.includes(destination.id)}
                onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen, destination.id] : chosen.filter((id) => id !== destination.id))}
              />{' '}
              {destination.name}
            </label>
          ))}
        </fieldset>
        <label>
          Event types (optional)
          <input
            value={types}
            placeholder="contact.created, contact.updated"
            aria-describedby="session-types-help"
            onInput={(e) => setTypes(e.currentTarget.value)}
          />
        </label>
        <span id="session-types-help" class="help">
          Comma-separated: the customer then sees and subscribes to these only.
        </span>
        <label class="check">
          <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.currentTarget.checked)} /> Read-only
        </label>
        <button type="submit" class="button button-primary">
          Open session
        </button>
        {opened && (
          <Notice tone="success">
            <p>Session opened. Its URL works until it expires or is revoked:</p>
            <div class="secret-line">
              <code class="wrap">{opened}</code>
              <CopyButton text={opened} what="portal URL" />
            </div>
          </Notice>
        )}
      </form>
      <section class="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Open sessions</h2>
        {data.sessions.length === 0 && <p class="muted">None.</p>}
        <ul class="plain">
          {data.sessions.map((session) => (
            <li key={session.id} class="row">
              <span class="mono">{session.id}</span>
              <span>
                {session.destination_ids ? `${session.destination_ids.length} destinations` : 'all destinations'}
                {session.read_only ? ', read-only' : ''}
              </span>
              <span class="muted">until {when(session.expires_at)}</span>
              <button type="button" class="button button-danger" onClick={() => void revoke(session.id)} aria-label={`Revoke ${session.id}`}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      </section>
      <form class="panel form" onSubmit={(e) => void saveAncestors(e)} aria-labelledby="embed-title">
        <h2 id="embed-title">Embedding</h2>
        <label>
          Sites allowed to embed the portal
          <textarea
            rows={3}
            class="mono"
            aria-describedby="embed-help"
            value={ancestors ?? data.ancestors.join('\n')}
            onInput={(e) => setAncestors(e.currentTarget.value)}
          />
        </label>
        <span id="embed-help" class="help">
          One origin per line, e.g. https://app.example.com. Empty: the portal cannot be framed.
        </span>
        <button type="submit" class="button">
          Save
        </button>
        {saved && <Notice tone="success">Saved.</Notice>}
      </form>
    </section>
  );
}
