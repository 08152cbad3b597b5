// One destination: its settings, health, delivery control and queue, test send, secret, and the way to its history and bulk retry.
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { ErrorNotice, Loading, Notice, StatusBadge } from '../components';
import { isoFromLocal, percent, TRIGGER_LABELS, when } from '../format';
import { href, navigate } from '../route';
import { takeSecret } from '../secret-once';
import type { Destination, DestinationHealth, DestinationQueue, DestinationStats, EventType, Page, RateLimit } from '../types';
import { useLoad } from '../use-load';
import { CertificateExpiry } from './client-tls-fields';
import { HealthPanel } from './health-panel';
import { SecretPanel } from './secret-panel';
import { SigningKeyPanel } from './signing-key-panel';
import { SendTestPanel } from './send-test';

async function load(id: string) {
  const [destination, health, stats, queue, types] = await Promise.all([
    api.get<Destination>(`/v1/destinations/${id}`),
    api.get<DestinationHealth>(`/v1/destinations/${id}/health`),
    api.get<DestinationStats>(`/v1/destinations/${id}/stats`),
    api.get<DestinationQueue>(`/v1/destinations/${id}/queue`),
    api.get<Page<EventType>>('/v1/event-types?limit=100'),
  ]);
  return { destination, health, stats, queue, types: types.data };
}

export function DestinationPage({ id, canWrite }: { id: string; canWrite: boolean }) {
  const [shown] = useState(() => takeSecret(id));
  const loaded = useLoad(() => load(id), [id], 4000);
  const [error, setError] = useState<Error | undefined>(undefined);
  if (loaded.error) return <ErrorNotice error={loaded.error} />;
  if (!loaded.data) return <Loading what="the destination" />;
  const { destination, health, stats, queue, types } = loaded.data;

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
      {queue.throttle && (
        <Notice tone="warning">
          <p data-testid="throttle">
            <strong>Throttled until {when(queue.throttle.until)}</strong>: {queue.throttle.reason}
          </p>
          <p>The receiver pushed back: every delivery waits or goes slower until then, without using an attempt to wait.</p>
        </Notice>
      )}
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
            {destination.client_tls && (
              <div>
                <dt>Client certificate</dt>
                <dd data-testid="client-certificate">
                  {destination.client_tls.subject} <CertificateExpiry expiresAt={destination.client_tls.expires_at} />
                </dd>
              </div>
            )}
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
        <DeliveryControlPanel destinationId={id} queue={queue} />
        <HealthPanel destinationId={id} health={health} canWrite={canWrite} onChanged={() => void loaded.reload()} />
        {canWrite && <SendTestPanel destinationId={id} eventTypes={types} onSent={() => void loaded.reload()} />}
        <SecretPanel destination={destination} shown={shown} canWrite={canWrite} />
        <SigningKeyPanel destination={destination} canWrite={canWrite} onRotated={() => void loaded.reload()} />
        {canWrite && <RetryFailedPanel destinationId={id} paused={destination.status !== 'active'} />}
      </div>
    </section>
  );
}

function rateLimitText(rate: RateLimit | null): string {
  if (rate === null) return 'No limit';
  const requests = `${rate.requests} ${rate.requests === 1 ? 'request' : 'requests'} / ${rate.per_seconds} s`;
  return rate.burst > 0 ? `${requests}, burst ${rate.burst}` : requests;
}

function concurrencyText(maxConcurrent: number | null): string {
  if (maxConcurrent === null) return 'No limit';
  return `at most ${maxConcurrent} open ${maxConcurrent === 1 ? 'request' : 'requests'}`;
}

/** How long the oldest queued delivery has waited, in the largest two units that say it. */
function waitedText(sinceIso: string, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(sinceIso)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** The destination's limits and what they hold back now: the queue is read with the page, so it moves as the page refreshes. */
function DeliveryControlPanel({ destinationId, queue }: { destinationId: string; queue: DestinationQueue }) {
  return (
    <section class="panel" aria-labelledby="control-title">
      <h2 id="control-title">Delivery control</h2>
      <dl class="facts">
        <div>
          <dt>Rate limit</dt>
          <dd data-testid="rate-limit">{rateLimitText(queue.rate_limit)}</dd>
        </div>
        <div>
          <dt>Concurrency</dt>
          <dd data-testid="concurrency">{concurrencyText(queue.max_concurrent_requests)}</dd>
        </div>
        <div>
          <dt>Order</dt>
          <dd data-testid="ordering">{queue.ordering === 'subject' ? 'per subject, in the order accepted' : 'none'}</dd>
        </div>
        {queue.coalesce_seconds !== null && (
          <div>
            <dt>Coalescing</dt>
            <dd data-testid="coalescing">newest of each subject per {queue.coalesce_seconds} s</dd>
          </div>
        )}
        <div>
          <dt>Queued deliveries</dt>
          <dd data-testid="queued-count">{queue.queued}</dd>
        </div>
        <div>
          <dt>Oldest queued</dt>
          <dd data-testid="oldest-queued">{queue.oldest_queued_at ? `waiting ${waitedText(queue.oldest_queued_at, Date.now())}` : '—'}</dd>
        </div>
        <div>
          <dt>Open requests</dt>
          <dd data-testid="open-requests">
            {/* Only a cap counts them: without one there is nothing to count against. */}
            {queue.max_concurrent_requests === null ? 'not counted (no cap)' : `${queue.open_requests} of ${queue.max_concurrent_requests}`}
          </dd>
        </div>
      </dl>
      {queue.queued > 0 && <a href={href({ screen: 'deliveries', filters: { destination_id: destinationId, status: 'queued' } })}>Queued deliveries</a>}
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
