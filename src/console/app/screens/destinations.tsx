// The webhooks table: every destination with its trigger, status, deliveries, success rates and last outcome.
import { api } from '../api';
import { ErrorNotice, Loading, StatusBadge } from '../components';
import { percent, TRIGGER_LABELS, when } from '../format';
import { href } from '../route';
import type { Destination, DestinationStats, Page } from '../types';
import { useLoad } from '../use-load';

interface Row {
  destination: Destination;
  stats: DestinationStats | null;
}

async function loadRows(): Promise<Row[]> {
  const page = await api.get<Page<Destination>>('/v1/destinations?limit=100');
  return Promise.all(
    page.data.map(async (destination) => ({
      destination,
      stats: await api.get<DestinationStats>(`/v1/destinations/${destination.id}/stats`).catch(() => null),
    })),
  );
}

function LastOutcome({ stats }: { stats: DestinationStats | null }) {
  const last = stats?.last_delivery;
  if (!last) return <span class="muted">None yet</span>;
  return (
    <span>
      {last.status_code ?? last.status}
      {last.error && <span class="cell-error"> {last.error}</span>}
    </span>
  );
}

export function DestinationsScreen({ canCreate }: { canCreate: boolean }) {
  const rows = useLoad(loadRows, [], 4000);
  return (
    <section aria-labelledby="destinations-title">
      <div class="screen-head">
        <h1 id="destinations-title">Destinations</h1>
        {canCreate && (
          <a class="button button-primary" href={href({ screen: 'new-destination' })}>
            New destination
          </a>
        )}
      </div>
      <ErrorNotice error={rows.error} />
      {!rows.data && !rows.error && <Loading what="destinations" />}
      {rows.data && rows.data.length === 0 && <p>No destinations yet. Create one to start receiving webhooks.</p>}
      {rows.data && rows.data.length > 0 && (
        <table class="table responsive" aria-label="Destinations">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Trigger</th>
              <th scope="col">Event types</th>
              <th scope="col">Status</th>
              <th scope="col">Deliveries</th>
              <th scope="col">Success rate (24 h)</th>
              <th scope="col">Success rate (all time)</th>
              <th scope="col">Last delivery</th>
            </tr>
          </thead>
          <tbody>
            {rows.data.map(({ destination, stats }) => (
              <tr key={destination.id}>
                <td data-label="Name">
                  <div>
                    <a href={href({ screen: 'destination', id: destination.id })}>{destination.name}</a>
                    <div class="muted small url">{destination.url}</div>
                  </div>
                </td>
                <td data-label="Trigger">{TRIGGER_LABELS[destination.trigger]}</td>
                <td data-label="Event types">{destination.event_types.join(', ') || <span class="muted">none</span>}</td>
                <td data-label="Status">
                  <div>
                    <StatusBadge status={destination.status} />
                    {destination.status === 'auto_disabled' && (
                      <div class="small">
                        {destination.auto_disabled_reason} <span class="muted">since {when(destination.auto_disabled_at)}</span>
                      </div>
                    )}
                  </div>
                </td>
                <td data-label="Deliveries" class="number">
                  {stats?.deliveries ?? '—'}
                </td>
                <td data-label="Success rate (24 h)" class="number">
                  {percent(stats?.last_24h.success_rate ?? null)}
                </td>
                <td data-label="Success rate (all time)" class="number">
                  {percent(stats?.success_rate ?? null)}
                </td>
                <td data-label="Last delivery">
                  <LastOutcome stats={stats} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
