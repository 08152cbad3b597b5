// The signing secret: shown once right after creation or rotation, with copy; rotation with its grace period; how receivers verify.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { CopyButton, ErrorNotice } from '../components';
import { when } from '../format';
import { LANGUAGES, verificationSnippet, type Language } from '../snippets';
import type { Destination } from '../types';

const GRACE_CHOICES: [number, string][] = [
  [86_400, '24 hours'],
  [3_600, '1 hour'],
  [604_800, '7 days'],
  [0, 'none: retire the old secret now'],
];

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
  const [grace, setGrace] = useState(86_400);
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
        <div class="row end">
          <label>
            Grace period
            <select value={grace} onChange={(e) => setGrace(Number(e.currentTarget.value))} aria-describedby="grace-help">
              {GRACE_CHOICES.map(([seconds, label]) => (
                <option key={seconds} value={seconds}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="button" onClick={() => void rotate()}>
            Rotate secret
          </button>
        </div>
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
