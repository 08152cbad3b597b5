// One delivery: its event's data and every attempt (request with credentials masked, response, error), why it is queued, with retry.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { DeliveryBadge, ErrorNotice, Loading, Notice } from '../components';
import { milliseconds, when } from '../format';
import { href } from '../route';
import type { Attempt, Delivery, EventRecord } from '../types';
import { useLoad } from '../use-load';
import { queuedNote } from './deliveries';

function headerText(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

function AttemptView({ attempt }: { attempt: Attempt }) {
  return (
    <article class="panel attempt" aria-label={`Attempt ${attempt.attempt_number}`}>
      <h3>
        Attempt {attempt.attempt_number} · {when(attempt.started_at)} · {milliseconds(attempt.duration_ms)}
      </h3>
      <h4>Request</h4>
      <pre class="code">{`${attempt.request.method} ${attempt.request.url}\n${headerText(attempt.request.headers)}`}</pre>
      <h4>Response</h4>
      {attempt.response ? (
        <>
          <p>Status {attempt.response.status}</p>
          <pre class="code" data-testid="response-excerpt">
            {attempt.response.body_excerpt ?? '(empty)'}
          </pre>
        </>
      ) : (
        <p class="muted">No response</p>
      )}
      {attempt.error && <p class="cell-error">Error: {attempt.error.message}</p>}
    </article>
  );
}

export function DeliveryDetail({ id, canWrite, canReadEvents }: { id: string; canWrite: boolean; canReadEvents: boolean }) {
  const loaded = useLoad(
    async () => {
      const delivery = await api.get<Delivery>(`/v1/deliveries/${id}`);
      // A portal session does not read whole events (they list other destinations' deliveries); the workspace does.
      const event = canReadEvents ? await api.get<EventRecord>(`/v1/events/${delivery.event_id}`).catch(() => null) : null;
      return { delivery, event };
    },
    [id],
    4000,
  );
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<Error | undefined>(undefined);
  if (loaded.error) return <ErrorNotice error={loaded.error} />;
  if (!loaded.data) return <Loading what="the delivery" />;
  const { delivery, event } = loaded.data;
  const queued = queuedNote(delivery);

  const retry = async () => {
    try {
      await api.post(`/v1/deliveries/${id}/retry`);
      setMessage('Retry started: the delivery runs its schedule again from attempt 1.');
      setError(undefined);
      await loaded.reload();
    } catch (caught) {
      setError(caught as Error);
    }
  };

  return (
    <section aria-labelledby="delivery-title">
      <div class="screen-head">
        <div>
          <h1 id="delivery-title">Delivery {delivery.event_type}</h1>
          <p class="mono small">{delivery.id}</p>
        </div>
        <DeliveryBadge status={delivery.status} />
      </div>
      <p>
        <a href={href({ screen: 'destination', id: delivery.destination_id })}>Destination</a> ·{' '}
        <a href={href({ screen: 'deliveries', filters: { destination_id: delivery.destination_id } })}>Its history</a>
      </p>
      {delivery.payload !== 'kept' && (
        <Notice tone="info">
          <p data-testid="payload-state">
            {delivery.payload === 'expired'
              ? "The event's data and the bodies of its requests and answers were removed after the workspace's retention window; the record of what happened stays."
              : "The event's data was erased at its subject's request; the record of what happened stays."}
          </p>
        </Notice>
      )}
      <dl class="facts panel">
        <div>
          <dt>Created</dt>
          <dd>{when(delivery.created_at)}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{delivery.attempt_count}</dd>
        </div>
        {queued ? (
          // A queued delivery's next_attempt_at is its turn under the destination's limits, not a retry.
          <div>
            <dt>Queued</dt>
            <dd data-testid="queued-note">{queued}</dd>
          </div>
        ) : (
          <div>
            <dt>Next retry</dt>
            <dd>{when(delivery.next_attempt_at)}</dd>
          </div>
        )}
        <div>
          <dt>Last error</dt>
          <dd>{delivery.last_error ?? '—'}</dd>
        </div>
      </dl>
      {canWrite && (
        <div class="actions">
          <button type="button" class="button button-primary" onClick={() => void retry()}>
            Retry
          </button>
        </div>
      )}
      {message && <Notice tone="success">{message}</Notice>}
      <ErrorNotice error={error} />
      {event && (
        <section class="panel" aria-labelledby="event-data-title">
          <h2 id="event-data-title">Event data</h2>
          <pre class="code" data-testid="event-data">
            {JSON.stringify(event.data, null, 2)}
          </pre>
        </section>
      )}
      <h2>Attempts</h2>
      {delivery.attempts.length === 0 && <p class="muted">No attempt yet.</p>}
      {delivery.attempts.map((attempt) => (
        <AttemptView key={attempt.attempt_number} attempt={attempt} />
      ))}
    </section>
  );
}
