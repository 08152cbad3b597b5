// Endpoint health: the failure streak, why and since when it is paused, what it holds, and re-enable or discard.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNotice, Notice, StatusBadge } from '../components';
import { when } from '../format';
import type { DestinationHealth } from '../types';

export function HealthPanel({
  destinationId,
  health,
  canWrite,
  onChanged,
}: {
  destinationId: string;
  health: DestinationHealth;
  canWrite: boolean;
  onChanged: () => void;
}) {
  const [error, setError] = useState<Error | undefined>(undefined);
  const [message, setMessage] = useState<string | null>(null);

  const act = async (what: () => Promise<string>) => {
    try {
      setMessage(await what());
      setError(undefined);
      onChanged();
    } catch (caught) {
      setError(caught as Error);
    }
  };
  const reenable = () =>
    act(async () => {
      await api.patch(`/v1/destinations/${destinationId}`, { enabled: true });
      return health.held_count > 0 ? `Re-enabled: releasing ${health.held_count} held deliveries, oldest first.` : 'Re-enabled.';
    });
  const discard = () =>
    act(async () => {
      const { discarded } = await api.post<{ discarded: number }>(`/v1/destinations/${destinationId}/held/discard`);
      return `Discarded ${discarded} held deliveries.`;
    });

  const paused = health.status !== 'active';
  return (
    <section class="panel" aria-labelledby="health-title">
      <h2 id="health-title">Health</h2>
      <dl class="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={health.status} />
          </dd>
        </div>
        {health.reason && (
          <div>
            <dt>Reason</dt>
            <dd data-testid="disabled-reason">{health.reason}</dd>
          </div>
        )}
        {health.disabled_at && (
          <div>
            <dt>Paused since</dt>
            <dd>{when(health.disabled_at)}</dd>
          </div>
        )}
        <div>
          <dt>Consecutive failures</dt>
          <dd data-testid="consecutive-failures">{health.consecutive_failures}</dd>
        </div>
        <div>
          <dt>Held deliveries</dt>
          <dd data-testid="held-count">{health.held_count}</dd>
        </div>
        {health.held_oldest_at && (
          <div>
            <dt>Oldest held</dt>
            <dd>{when(health.held_oldest_at)}</dd>
          </div>
        )}
      </dl>
      {message && <Notice tone="success">{message}</Notice>}
      <ErrorNotice error={error} />
      {canWrite && paused && (
        <div class="actions">
          <button type="button" class="button button-primary" onClick={() => void reenable()}>
            Re-enable
          </button>
          {health.held_count > 0 && (
            <button type="button" class="button button-danger" onClick={() => void discard()}>
              Discard held deliveries
            </button>
          )}
        </div>
      )}
    </section>
  );
}
