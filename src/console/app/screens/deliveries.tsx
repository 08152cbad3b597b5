// Delivery history: filter by destination, status, event type and time; each row opens its attempts, a queued one says why it waits.
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { DeliveryBadge, ErrorNotice, Loading } from '../components';
import { isoFromLocal, when } from '../format';
import { href, navigate } from '../route';
import type { DeliverySummary, Destination, EventType, Page, QueueReason } from '../types';
import { useLoad } from '../use-load';

const STATUSES = ['pending', 'queued', 'delivering', 'succeeded', 'failed', 'held', 'skipped', 'cancelled', 'superseded'];

const QUEUE_REASONS: Record<QueueReason, string> = {
  rate_limit: 'rate limit',
  concurrency: 'concurrency cap',
  throttled: 'throttled by the receiver',
  // No time: its turn comes when the earlier delivery of its subject is done.
  ordering: 'behind the earlier delivery of its subject',
  // The turn is when the window closes: the newest event of the subject then goes.
  coalescing: 'coalescing its subject',
};

/** A turn is seconds or minutes away: its time of day says it, with the date only when it is not today. */
function turnTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toDateString() === new Date().toDateString() ? date.toLocaleTimeString(undefined, { timeStyle: 'medium' }) : when(iso);
}

/** Why a queued delivery waits and when its turn comes ("rate limit, turn at 12:00:03"); null when it is not queued. */
export function queuedNote(delivery: Pick<DeliverySummary, 'status' | 'queue_reason' | 'next_attempt_at'>): string | null {
  if (delivery.status !== 'queued') return null;
  const turn = delivery.next_attempt_at ? `turn at ${turnTime(delivery.next_attempt_at)}` : null;
  return [delivery.queue_reason ? QUEUE_REASONS[delivery.queue_reason] : null, turn].filter(Boolean).join(', ') || 'waiting for its turn';
}

export function DeliveriesScreen({ filters }: { filters: Record<string, string> }) {
  const [draft, setDraft] = useState(filters);
  const lists = useLoad(async () => {
    const [destinations, types] = await Promise.all([
      api.get<Page<Destination>>('/v1/destinations?limit=100'),
      api.get<Page<EventType>>('/v1/event-types?limit=100'),
    ]);
    return { destinations: destinations.data, types: types.data };
  }, []);
  const page = useLoad(
    () =>
      api.get<Page<DeliverySummary>>(
        `/v1/deliveries${query({ limit: 50, destination_id: filters.destination_id, status: filters.status, event_type: filters.event_type, since: isoFromLocal(filters.since ?? ''), until: isoFromLocal(filters.until ?? '') })}`,
      ),
    [JSON.stringify(filters)],
    4000,
  );
  const names = new Map((lists.data?.destinations ?? []).map((destination) => [destination.id, destination.name]));
  const set = (name: string, value: string) => setDraft((current) => ({ ...current, [name]: value }));
  const apply = (event: Event) => {
    event.preventDefault();
    navigate({ screen: 'deliveries', filters: Object.fromEntries(Object.entries(draft).filter(([, value]) => value !== '')) });
  };

  return (
    <section aria-labelledby="deliveries-title">
      <h1 id="deliveries-title">Delivery history</h1>
      <form class="panel filters" onSubmit={apply} aria-label="Filter deliveries">
        <label>
          Destination
          <select value={draft.destination_id ?? ''} onChange={(e) => set('destination_id', e.currentTarget.value)}>
            <option value="">All destinations</option>
            {(lists.data?.destinations ?? []).map((destination) => (
              <option key={destination.id} value={destination.id}>
                {destination.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={draft.status ?? ''} onChange={(e) => set('status', e.currentTarget.value)}>
            <option value="">Any status</option>
            {STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        </label>
        <label>
          Event type
          <select value={draft.event_type ?? ''} onChange={(e) => set('event_type', e.currentTarget.value)}>
            <option value="">Any event type</option>
            {(lists.data?.types ?? []).map((type) => (
              <option key={type.name}>{type.name}</option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" value={draft.since ?? ''} onInput={(e) => set('since', e.currentTarget.value)} />
        </label>
        <label>
          Until
          <input type="datetime-local" value={draft.until ?? ''} onInput={(e) => set('until', e.currentTarget.value)} />
        </label>
        <button type="submit" class="button">
          Apply filters
        </button>
      </form>
      <ErrorNotice error={page.error} />
      {!page.data && !page.error && <Loading what="deliveries" />}
      {page.data && page.data.data.length === 0 && <p>No deliveries match.</p>}
      {page.data && page.data.data.length > 0 && (
        <table class="table responsive" aria-label="Deliveries">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Event type</th>
              <th scope="col">Destination</th>
              <th scope="col">Status</th>
              <th scope="col">Response</th>
              <th scope="col">Attempts</th>
            </tr>
          </thead>
          <tbody>
            {page.data.data.map((delivery) => (
              <tr key={delivery.id}>
                <td data-label="Created">
                  <a href={href({ screen: 'delivery', id: delivery.id })}>{when(delivery.created_at)}</a>
                </td>
                <td data-label="Event type">
                  <span>
                    {delivery.event_type}
                    {delivery.is_test && <span class="tag">test</span>}
                  </span>
                </td>
                <td data-label="Destination">{names.get(delivery.destination_id) ?? delivery.destination_id}</td>
                <td data-label="Status">
                  <span>
                    <DeliveryBadge status={delivery.status} />
                    {delivery.status === 'queued' && <span class="small muted"> {queuedNote(delivery)}</span>}
                  </span>
                </td>
                <td data-label="Response">
                  <span>
                    {delivery.last_status_code ?? '—'}
                    {delivery.last_error && <span class="cell-error"> {delivery.last_error}</span>}
                  </span>
                </td>
                <td data-label="Attempts" class="number">
                  {delivery.attempt_count}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
