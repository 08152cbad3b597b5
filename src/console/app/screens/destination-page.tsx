// One destination: its settings, health, test send, secret, and the way to its history and bulk retry.
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { ErrorNotice, Loading, Notice, StatusBadge } from '../components';
import { isoFromLocal, percent, TRIGGER_LABELS } from '../format';
import { href, navigate } from '../route';
import { takeSecret } from '../secret-once';
import type { Destination, DestinationHealth, DestinationStats, EventType, Page } from '../types';
import { useLoad } from '../use-load';
import { HealthPanel } from './health-panel';
import { SecretPanel } from './secret-panel';
import { SendTestPanel } from './send-test';

async function load(id: string) {
  const [destination, health, stats, types] = await Promise.all([
    api.get<Destination>(`/v1/destinations/${id}`),
    api.get<DestinationHealth>(`/v1/destinations/${id}/health`),
    api.get<DestinationStats>(`/v1/destinations/${id}/stats`),
    api.get<Page<EventType>>('/v1/event-types?limit=100'),
  ]);
  return { destination, health, stats, types: types.data };
}

export function DestinationPage({ id, canWrite }: { id: string; canWrite: boolean }) {
  const [shown] = useState(() => takeSecret(id));
  const loaded = useLoad(() => load(id), [id], 4000);
  const [error, setError] = useState<Error | undefined>(undefined);
  if (loaded.error) return <ErrorNotice error={loaded.error} />;
  if (!loaded.data) return <Loading what="the destination" />;
  const { destination, health, stats, types } = loaded.data;

  const run = async (what: () => Promise<unknown>) => {
    try {
      await what();
      setError(undefined);
      await loaded.reload();
    } catch (caught) {
      setError(caught as Error);
    }
  };
  const remove = () =>
    run(async () => {
      if (!confirm(`Delete ${destination.name}? New events will no longer be delivered to it.`)) return;
      await api.delete(`/v1/destinations/${destination.id}`);
      navigate({ screen: 'destinations' });
    });

  return (
    <section aria-labelledby="destination-title">
      <div class="screen-head">
        <div>
          <h1 id="destination-title">{destination.name}</h1>
          <p class="mono small url">
            {destination.method} {destination.url}
          </p>
        </div>
        <StatusBadge status={destination.status} />
      </div>
      {canWrite && (
        <div class="actions">
          <a class="button" href={href({ screen: 'edit-destination', id })}>
            Edit
          </a>
          {destination.enabled ? (
            <button type="button" class="button" onClick={() => void run(() => api.patch(`/v1/destinations/${id}`, { enabled: false }))}>
              Disable
            </button>
          ) : (
            <button type="button" class="button" onClick={() => void run(() => api.patch(`/v1/destinations/${id}`, { enabled: true }))}>
              Enable
            </button>
          )}
          <button type="button" class="button button-danger" onClick={() => void remove()}>
            Delete
          </button>
        </div>
      )}
      <ErrorNotice error={error} />
      <div class="grid">
        <section class="panel" aria-labelledby="overview-title">
          <h2 id="overview-title">Overview</h2>
          <dl class="facts">
            <div>
              <dt>Trigger</dt>
              <dd>{TRIGGER_LABELS[destination.trigger]}</dd>
            </div>
            <div>
              <dt>Event types</dt>
              <dd>{destination.event_types.join(', ') || 'none'}</dd>
            </div>
            <div>
              <dt>Deliveries</dt>
              <dd data-testid="stat-deliveries">{stats.deliveries}</dd>
            </div>
            <div>
              <dt>Succeeded / failed</dt>
              <dd>
                {stats.succeeded} / {stats.failed}
              </dd>
            </div>
            <div>
              <dt>Success rate (24 h)</dt>
              <dd>{percent(stats.last_24h.success_rate)}</dd>
            </div>
            <div>
              <dt>Success rate (all time)</dt>
              <dd data-testid="stat-success-rate">{percent(stats.success_rate)}</dd>
            </div>
            <div>
              <dt>Last delivery</dt>
              <dd>
                {stats.last_delivery ? `${stats.last_delivery.status} ${stats.last_delivery.status_code ?? ''} ${stats.last_delivery.error ?? ''}` : 'none yet'}
              </dd>
            </div>
          </dl>
          <a href={href({ screen: 'deliveries', filters: { destination_id: id } })}>Delivery history</a>
        </section>
        <HealthPanel destinationId={id} health={health} canWrite={canWrite} onChanged={() => void loaded.reload()} />
        {canWrite && <SendTestPanel destinationId={id} eventTypes={types} onSent={() => void loaded.reload()} />}
        <SecretPanel destination={destination} shown={shown} canWrite={canWrite} />
        {canWrite && <RetryFailedPanel destinationId={id} paused={destination.status !== 'active'} />}
      </div>
    </section>
  );
}

/** After fixing a receiver: every failed delivery since a time, retried in batches the API hands back. */
function RetryFailedPanel({ destinationId, paused }: { destinationId: string; paused: boolean }) {
  const [since, setSince] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<Error | undefined>(undefined);
  const retry = async () => {
    const iso = isoFromLocal(since);
    if (!iso) return setError(new Error('Choose the time to retry failed deliveries from.'));
    try {
      let retried = 0;
      let cursor: string | null = null;
      do {
        const batch: { retried: number; next_cursor: string | null } = await api.post(
          `/v1/destinations/${destinationId}/retry-failed${query({ since: iso, cursor })}`,
        );
        retried += batch.retried;
        cursor = batch.next_cursor;
      } while (cursor);
      setResult(`Retrying ${retried} failed deliveries.`);
      setError(undefined);
    } catch (caught) {
      setError(caught as Error);
    }
  };
  return (
    <section class="panel" aria-labelledby="retry-title">
      <h2 id="retry-title">Retry failed deliveries</h2>
      {paused && <p class="help">Re-enable the destination first: a paused destination holds what it would send.</p>}
      <div class="row end">
        <label>
          Failed since
          <input type="datetime-local" value={since} onInput={(e) => setSince(e.currentTarget.value)} />
        </label>
        <button type="button" class="button" disabled={paused} onClick={() => void retry()}>
          Retry all failed
        </button>
      </div>
      {result && <Notice tone="success">{result}</Notice>}
      <ErrorNotice error={error} />
    </section>
  );
}
