// The destination form's mutual TLS: the client certificate Hookline presents, its key (write-only) and the CA trusted for the receiver.
import type { Destination } from '../types';

export interface ClientTlsState {
  enabled: boolean;
  certificate: string;
  privateKey: string;
  ca: string;
  /** The mask the API answered in place of the stored key (null: none stored); sent back, it keeps it. */
  storedKey: string | null;
  /** The stored certificate's summary, to show what is in place and when it expires. */
  stored: NonNullable<Destination['client_tls']> | null;
}

const DAY_MS = 86_400_000;
/** Expiry closer than this shows as a warning, as the metric's suggested alert does. */
const WARN_DAYS = 14;

export function clientTlsStateOf(destination: Pick<Destination, 'client_tls'> | null): ClientTlsState {
  const tls = destination?.client_tls ?? null;
  return {
    enabled: tls !== null,
    certificate: tls?.certificate ?? '',
    privateKey: '',
    ca: tls?.ca ?? '',
    storedKey: tls?.private_key ?? null,
    stored: tls,
  };
}

/** Always sent, so unticking clears it; an empty key field keeps the stored key. */
export function clientTlsBody(state: ClientTlsState): { client_tls: unknown } {
  if (!state.enabled) return { client_tls: null };
  const privateKey = state.privateKey.trim() === '' && state.storedKey !== null ? state.storedKey : state.privateKey;
  return { client_tls: { certificate: state.certificate.trim(), private_key: privateKey, ca: state.ca.trim() === '' ? null : state.ca.trim() } };
}

/** "expires 3 Jan 2027 (in 30 days)", flagged when it is near or past. */
export function CertificateExpiry({ expiresAt }: { expiresAt: string }) {
  const days = Math.floor((Date.parse(expiresAt) - Date.now()) / DAY_MS);
  const when = new Date(expiresAt).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
  const left = days < 0 ? 'expired' : days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`;
  return <span class={days < WARN_DAYS ? 'badge badge-expiring' : 'muted'}>{`expires ${when} (${left})`}</span>;
}

export function ClientTlsFields({ state, onChange }: { state: ClientTlsState; onChange: (state: ClientTlsState) => void }) {
  const set = (patch: Partial<ClientTlsState>) => onChange({ ...state, ...patch });
  return (
    <fieldset>
      <legend>Client certificate (mutual TLS)</legend>
      <label class="check">
        <input type="checkbox" checked={state.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} /> Present a client certificate to the
        receiver
      </label>
      {state.enabled && (
        <>
          {state.stored && (
            <p class="help block">
              {state.stored.subject}, issued by {state.stored.issuer}: <CertificateExpiry expiresAt={state.stored.expires_at} />
            </p>
          )}
          <label>
            Certificate (PEM)
            <textarea
              class="mono"
              rows={4}
              spellcheck={false}
              placeholder="-----BEGIN CERTIFICATE-----"
              value={state.certificate}
              onInput={(e) => set({ certificate: e.currentTarget.value })}
            />
          </label>
          <label>
            Private key (PEM, unencrypted)
            <textarea
              class="mono"
              rows={4}
              spellcheck={false}
              autoComplete="off"
              placeholder={state.storedKey !== null ? 'Unchanged' : '-----BEGIN PRIVATE KEY-----'}
              value={state.privateKey}
              onInput={(e) => set({ privateKey: e.currentTarget.value })}
            />
          </label>
          <label>
            CA bundle for the receiver (PEM)
            <textarea
              class="mono"
              rows={3}
              spellcheck={false}
              placeholder="Optional: the system's roots when empty"
              value={state.ca}
              onInput={(e) => set({ ca: e.currentTarget.value })}
            />
          </label>
          <span class="help block">
            For https receivers that ask for a client certificate. The key is sealed and never shown again; leave it empty to keep the stored one.
          </span>
        </>
      )}
    </fieldset>
  );
}
