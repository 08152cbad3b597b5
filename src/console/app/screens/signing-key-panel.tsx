// The ed25519 key of v1a signatures: the public key receivers verify with (not a secret, always shown), and its rotation with overlap.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { CopyButton, ErrorNotice } from '../components';
import { when } from '../format';
import type { Destination } from '../types';
import { DEFAULT_GRACE_SECONDS, GracePeriodRotation } from './grace-period';

export function SigningKeyPanel({ destination, canWrite, onRotated }: { destination: Destination; canWrite: boolean; onRotated: () => void }) {
  const [grace, setGrace] = useState(DEFAULT_GRACE_SECONDS);
  const [error, setError] = useState<Error | undefined>(undefined);
  const publicKey = destination.public_key;
  if (publicKey === null) return null;

  const rotate = async () => {
    try {
      await api.post<Destination>(`/v1/destinations/${destination.id}/rotate-signing-key`, { grace_period_seconds: grace });
      setError(undefined);
      onRotated();
    } catch (caught) {
      setError(caught as Error);
    }
  };

  return (
    <section class="panel" aria-labelledby="signing-key-title">
      <h2 id="signing-key-title">Signing key (ed25519)</h2>
      <p class="help">
        {destination.signature_scheme === 'standard_webhooks_ed25519'
          ? 'Requests carry v1a signatures. Receivers verify them with this public key and hold no secret; it is safe to publish.'
          : 'Kept for when this destination signs with Standard Webhooks v1a again.'}
      </p>
      <div class="secret-line">
        <code data-testid="public-key">{publicKey}</code>
        <CopyButton text={publicKey} what="public key" />
      </div>
      {destination.previous_public_key && (
        <p>
          The previous key <code>{destination.previous_public_key.public_key.slice(0, 16)}…</code> signs too until{' '}
          {when(destination.previous_public_key.expires_at)}.
        </p>
      )}
      {canWrite && <GracePeriodRotation label="Overlap" value={grace} onChange={setGrace} button="Rotate key" onRotate={() => void rotate()} />}
      <ErrorNotice error={error} />
    </section>
  );
}
