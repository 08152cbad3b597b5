// Data and privacy: how long the workspace keeps event data and records, and the erasure of one subject's data with its jobs' status.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNotice, Loading, Notice } from '../components';
import { when } from '../format';
import type { Erasure, Page, Retention } from '../types';
import { useLoad } from '../use-load';

const DAY_SECONDS = 86_400;

/** Days as a person reads them: whole days, or the hours and minutes of a short test window. */
function daysText(seconds: number): string {
  if (seconds % DAY_SECONDS === 0) return `${seconds / DAY_SECONDS} days`;
  return seconds >= 3600 ? `${Math.round(seconds / 360) / 10} hours` : `${seconds} seconds`;
}

function RetentionForm({ retention, onSaved }: { retention: Retention; onSaved: () => void }) {
  const [payloadDays, setPayloadDays] = useState(String(retention.payload_retention_seconds / DAY_SECONDS));
  const [recordDays, setRecordDays] = useState(String(retention.record_retention_seconds / DAY_SECONDS));
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const save = async (event: Event) => {
    event.preventDefault();
    try {
      await api.patch('/v1/retention', {
        payload_retention_seconds: Math.round(Number(payloadDays) * DAY_SECONDS),
        record_retention_seconds: Math.round(Number(recordDays) * DAY_SECONDS),
      });
      setSaved(true);
      setError(undefined);
      onSaved();
    } catch (caught) {
      setSaved(false);
      setError(caught as Error);
    }
  };
  return (
    <form class="panel form" onSubmit={(e) => void save(e)} aria-labelledby="retention-title">
      <h2 id="retention-title">Retention</h2>
      <p>
        Event data, rendered requests and response excerpts are kept for {daysText(retention.payload_retention_seconds)}; the records of what was delivered
        (ids, statuses, timings, status codes) for {daysText(retention.record_retention_seconds)}. A delivery still waiting keeps its data until it is sent.
      </p>
      <ErrorNotice error={error} />
      <div class="row">
        <label>
          Keep event data (days)
          <input type="number" min={0} step="any" required value={payloadDays} onInput={(e) => setPayloadDays(e.currentTarget.value)} />
        </label>
        <label>
          Keep records (days)
          <input type="number" min={0} step="any" required value={recordDays} onInput={(e) => setRecordDays(e.currentTarget.value)} />
        </label>
      </div>
      <button type="submit" class="button">
        Save retention
      </button>
      {saved && <Notice tone="success">Saved: the next purge run, within minutes, applies it.</Notice>}
    </form>
  );
}

function ErasureForm({ onErased }: { onErased: () => void }) {
  const [subject, setSubject] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [started, setStarted] = useState<Erasure | null>(null);
  const [error, setError] = useState<Error | undefined>(undefined);
  const erase = async (event: Event) => {
    event.preventDefault();
    try {
      setStarted(await api.post<Erasure>('/v1/subjects/erase', { subject: subject.trim() }));
      setSubject('');
      setUnderstood(false);
      setError(undefined);
      onErased();
    } catch (caught) {
      setError(caught as Error);
    }
  };
  return (
    <form class="panel form" onSubmit={(e) => void erase(e)} aria-labelledby="erase-title">
      <h2 id="erase-title">Erase a subject</h2>
      <p>
        Removes the data of every event posted with this subject (a contact&apos;s id): event data, request and response bodies, deliveries not sent yet, and
        their workflow histories in Temporal. The records of what was delivered stay, without the data. Events posted later are delivered as usual.
      </p>
      <ErrorNotice error={error} />
      <label>
        Subject
        <input required autoComplete="off" placeholder="contact_42" value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
      </label>
      <label class="check">
        <input type="checkbox" required checked={understood} onChange={(e) => setUnderstood(e.currentTarget.checked)} /> I understand this cannot be undone
      </label>
      <button type="submit" class="button button-danger" disabled={subject.trim() === '' || !understood}>
        Erase
      </button>
      {started && (
        <Notice tone="success">
          <p data-testid="erasure-started">
            Erasure {started.id}: {started.events_erased} events and {started.deliveries_cancelled} unsent deliveries erased; deleting the workflow histories.
          </p>
        </Notice>
      )}
    </form>
  );
}

export function DataLifecycleScreen() {
  const loaded = useLoad(async () => {
    const [retention, erasures] = await Promise.all([api.get<Retention>('/v1/retention'), api.get<Page<Erasure>>('/v1/erasures?limit=20')]);
    return { retention, erasures: erasures.data };
  }, []);
  if (!loaded.data) return loaded.error ? <ErrorNotice error={loaded.error} /> : <Loading what="data settings" />;
  const { retention, erasures } = loaded.data;
  return (
    <section aria-labelledby="data-title">
      <h1 id="data-title">Data and privacy</h1>
      <RetentionForm retention={retention} onSaved={() => void loaded.reload()} />
      <ErasureForm onErased={() => void loaded.reload()} />
      <section class="panel" aria-labelledby="erasures-title">
        <h2 id="erasures-title">Erasures</h2>
        <button type="button" class="button" onClick={() => void loaded.reload()}>
          Refresh
        </button>
        {erasures.length === 0 && <p class="muted">None yet.</p>}
        {erasures.length > 0 && (
          <table class="table responsive" aria-label="Erasures">
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">Status</th>
                <th scope="col">By</th>
                <th scope="col">Events</th>
                <th scope="col">Unsent deliveries</th>
                <th scope="col">Histories deleted</th>
              </tr>
            </thead>
            <tbody>
              {erasures.map((erasure) => (
                <tr key={erasure.id} data-testid="erasure-row">
                  <td data-label="Requested">
                    <span>{when(erasure.created_at)}</span>
                  </td>
                  <td data-label="Status">{erasure.status}</td>
                  <td data-label="By">
                    <span class="mono">{erasure.requested_by}</span>
                  </td>
                  <td data-label="Events">{erasure.events_erased}</td>
                  <td data-label="Unsent deliveries">{erasure.deliveries_cancelled}</td>
                  <td data-label="Histories deleted">{erasure.workflows_deleted}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
