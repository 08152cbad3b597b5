// The signing secret: shown once right after creation or rotation, with copy; rotation with its grace period; how receivers verify.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { CopyButton, ErrorNotice } from '../components';
import { when } from '../format';
import { LANGUAGES, verificationSnippet, type Language } from '../snippets';
import type { Destination } from '../types';
import { DEFAULT_GRACE_SECONDS, GracePeriodRotation } from './grace-period';

export function SecretPanel({
  destination,
  shown,
  canWrite,
}: {
  destination: Destination;
  shown: { secret: string; expiresPrevious: string | null } | null;
  canWrite: boolean;
}) {
  const [secret, setSecret] = useState(shown);
  const [grace, setGrace] = useState(DEFAULT_GRACE_SECONDS);
  const [language, setLanguage] = useState<Language>('Node');
  const [error, setError] = useState<Error | undefined>(undefined);

  const rotate = async () => {
    try {
      const rotated = await api.post<{ secret: string; previous_secret_expires_at: string | null }>(`/v1/destinations/${destination.id}/rotate-secret`, {
        grace_period_seconds: grace,
      });
      setSecret({ secret: rotated.secret, expiresPrevious: rotated.previous_secret_expires_at });
      setError(undefined);
    } catch (caught) {
      setError(caught as Error);
    }
  };

  return (
    <section class="panel" aria-labelledby="secret-title">
      <h2 id="secret-title">Signing secret</h2>
      {secret ? (
        <div class="notice notice-warning">
          <p>
            <strong>Copy this secret now: it is shown only once.</strong>
          </p>
          <div class="secret-line">
            <code data-testid="secret">{secret.secret}</code>
            <CopyButton text={secret.secret} what="signing secret" />
          </div>
          {secret.expiresPrevious && <p>The previous secret keeps signing too until {when(secret.expiresPrevious)}.</p>}
        </div>
      ) : (
        <p class="muted">The secret was shown when it was created. Rotate it to get a new one.</p>
      )}
      {canWrite && (
        <GracePeriodRotation
          label="Grace period"
          value={grace}
          onChange={setGrace}
          button="Rotate secret"
          onRotate={() => void rotate()}
          describedBy="grace-help"
        />
      )}
      {canWrite && (
        <p id="grace-help" class="help">
          During the grace period the old secret still signs, so receivers can switch without missing a delivery: Standard Webhooks requests carry both
          signatures; hex-signed requests carry one, and a receiver that refuses it (401 or 403) gets the other.
        </p>
      )}
      <ErrorNotice error={error} />
      <h3>Verify on your receiver</h3>
      <div role="group" aria-label="Snippet language" class="tabs">
        {LANGUAGES.map((name) => (
          <button
            key={name}
            type="button"
            class={`button button-quiet${name === language ? ' selected' : ''}`}
            aria-pressed={name === language}
            onClick={() => setLanguage(name)}
          >
            {name}
          </button>
        ))}
      </div>
      <pre class="code">{verificationSnippet(destination.signature_scheme, destination.signature_header, language)}</pre>
    </section>
  );
}
