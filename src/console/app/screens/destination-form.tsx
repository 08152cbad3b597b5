// Create or edit a destination with every field of the API, beside a live preview of the request it sends.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNotice, Loading, mapOf, PairsEditor, pairsOf, type Pairs } from '../components';
import { navigate } from '../route';
import { handOver } from '../secret-once';
import type { Destination, EventType, Page } from '../types';
import { useLoad } from '../use-load';
import { ReceiverAuthFields, receiverAuthBody, receiverAuthStateOf, type ReceiverAuthState } from './receiver-auth-fields';
import { ClientTlsFields, clientTlsBody, clientTlsStateOf, type ClientTlsState } from './client-tls-fields';
import { RequestPreview } from './request-preview';

interface FormState {
  name: string;
  url: string;
  method: Destination['method'];
  headers: Pairs;
  query_params: Pairs;
  body_template: string;
  timeout_seconds: string;
  enabled: boolean;
  trigger: Destination['trigger'];
  filter: string;
  max_attempts: string;
  failure_threshold: string;
  auto_recover: boolean;
  signature_scheme: Destination['signature_scheme'];
  signature_header: string;
  event_types: string;
  rate_limited: boolean;
  rate_requests: string;
  rate_per_seconds: string;
  rate_burst: string;
  max_concurrent_requests: string;
  ordering: Destination['ordering'];
  coalesce_seconds: string;
  auth: ReceiverAuthState;
  tls: ClientTlsState;
  secret: string;
}

const EMPTY: FormState = {
  name: '',
  url: '',
  method: 'POST',
  headers: [],
  query_params: [],
  body_template: '',
  timeout_seconds: '10',
  enabled: true,
  trigger: 'every_update',
  filter: '',
  max_attempts: '',
  failure_threshold: '10',
  auto_recover: false,
  signature_scheme: 'standard_webhooks',
  signature_header: '',
  event_types: '',
  // The fields a rate limit starts from when switched on; nothing is limited until it is.
  rate_limited: false,
  rate_requests: '10',
  rate_per_seconds: '1',
  rate_burst: '0',
  max_concurrent_requests: '',
  ordering: 'none',
  coalesce_seconds: '',
  auth: receiverAuthStateOf(null),
  tls: clientTlsStateOf(null),
  secret: '',
};

function stateOf(destination: Destination): FormState {
  return {
    name: destination.name,
    url: destination.url,
    method: destination.method,
    headers: pairsOf(destination.headers),
    query_params: pairsOf(destination.query_params),
    body_template: destination.body_template === null ? '' : JSON.stringify(destination.body_template, null, 2),
    timeout_seconds: String(destination.timeout_seconds),
    enabled: destination.enabled,
    trigger: destination.trigger,
    filter: destination.filter === null ? '' : JSON.stringify(destination.filter, null, 2),
    max_attempts: String(destination.max_attempts),
    failure_threshold: String(destination.failure_threshold),
    auto_recover: destination.auto_recover,
    signature_scheme: destination.signature_scheme,
    signature_header: destination.signature_header ?? '',
    event_types: destination.event_types.join(', '),
    rate_limited: destination.rate_limit !== null,
    rate_requests: String(destination.rate_limit?.requests ?? EMPTY.rate_requests),
    rate_per_seconds: String(destination.rate_limit?.per_seconds ?? EMPTY.rate_per_seconds),
    rate_burst: String(destination.rate_limit?.burst ?? EMPTY.rate_burst),
    max_concurrent_requests: destination.max_concurrent_requests === null ? '' : String(destination.max_concurrent_requests),
    ordering: destination.ordering,
    coalesce_seconds: destination.coalesce_seconds === null ? '' : String(destination.coalesce_seconds),
    auth: receiverAuthStateOf(destination),
    tls: clientTlsStateOf(destination),
    secret: '',
  };
}

const isHexScheme = (scheme: FormState['signature_scheme']) => scheme === 'hmac_sha256_hex' || scheme === 'hmac_sha1_hex';

/** JSON text as a value; '' is null; undefined when it does not parse. */
function json(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

type DeliveryControl = Pick<Destination, 'rate_limit' | 'max_concurrent_requests'>;

/** A number field as typed: the API alone knows the bounds, and its refusal names the field and why. */
const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text.trim()));

/** The rate limit and the concurrency cap as the API takes them: null clears either. */
function deliveryControlOf(form: FormState): DeliveryControl {
  const maxConcurrent = form.max_concurrent_requests.trim() === '' ? null : numberOf(form.max_concurrent_requests);
  if (!form.rate_limited) return { rate_limit: null, max_concurrent_requests: maxConcurrent };
  // An empty burst is the API's default: none beyond the rate.
  const burst = form.rate_burst.trim() === '' ? 0 : numberOf(form.rate_burst);
  return {
    rate_limit: { requests: numberOf(form.rate_requests), per_seconds: numberOf(form.rate_per_seconds), burst },
    max_concurrent_requests: maxConcurrent,
  };
}

function bodyOf(form: FormState, creating: boolean, control: DeliveryControl): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: form.name,
    url: form.url,
    method: form.method,
    headers: mapOf(form.headers),
    query_params: mapOf(form.query_params),
    body_template: json(form.body_template),
    timeout_seconds: Number(form.timeout_seconds),
    enabled: form.enabled,
    trigger: form.trigger,
    filter: json(form.filter),
    failure_threshold: Number(form.failure_threshold),
    auto_recover: form.auto_recover,
    signature_scheme: form.signature_scheme,
    // Only the hex schemes sign into a header of their own; the others refuse one.
    signature_header: !isHexScheme(form.signature_scheme) || form.signature_header.trim() === '' ? null : form.signature_header.trim(),
    event_types: form.event_types
      .split(',')
      .map((type) => type.trim())
      .filter(Boolean),
    // Always sent, so an edit that switches a limit off clears it.
    rate_limit: control.rate_limit,
    max_concurrent_requests: control.max_concurrent_requests,
    ordering: form.ordering,
    // Coalescing lives in the subject's lane: switched off with the order, it is cleared.
    coalesce_seconds: form.ordering !== 'subject' || form.coalesce_seconds.trim() === '' ? null : numberOf(form.coalesce_seconds),
    ...receiverAuthBody(form.auth),
    ...clientTlsBody(form.tls),
  };
  if (form.max_attempts.trim() !== '') body.max_attempts = Number(form.max_attempts);
  if (creating && form.secret.trim() !== '') body.secret = form.secret.trim();
  return body;
}

export function DestinationFormScreen({ id }: { id?: string }) {
  const loaded = useLoad(async () => {
    const [destination, types] = await Promise.all([
      id ? api.get<Destination>(`/v1/destinations/${id}`) : Promise.resolve(null),
      api.get<Page<EventType>>('/v1/event-types?limit=100'),
    ]);
    return { destination, types: types.data };
  }, [id]);
  if (loaded.error) return <ErrorNotice error={loaded.error} />;
  if (!loaded.data) return <Loading what="the form" />;
  return <DestinationForm destination={loaded.data.destination} eventTypes={loaded.data.types} />;
}

function DestinationForm({ destination, eventTypes }: { destination: Destination | null; eventTypes: EventType[] }) {
  const creating = destination === null;
  const [form, setForm] = useState<FormState>(destination ? stateOf(destination) : EMPTY);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof FormState>(name: K, value: FormState[K]) => setForm((current) => ({ ...current, [name]: value }));
  const text = (name: keyof FormState) => ({
    value: form[name] as string,
    onInput: (e: { currentTarget: { value: string } }) => set(name, e.currentTarget.value as never),
  });

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = bodyOf(form, creating, deliveryControlOf(form));
    if (body.body_template === undefined || body.filter === undefined) {
      setError(new Error(body.body_template === undefined ? 'The body template is not valid JSON.' : 'The filter is not valid JSON.'));
      return;
    }
    setSaving(true);
    try {
      if (creating) {
        const created = await api.post<Destination & { secret: string }>('/v1/destinations', body);
        handOver(created.id, created.secret);
        navigate({ screen: 'destination', id: created.id });
      } else {
        await api.patch<Destination>(`/v1/destinations/${destination.id}`, body);
        navigate({ screen: 'destination', id: destination.id });
      }
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section aria-labelledby="form-title">
      <h1 id="form-title">{creating ? 'New destination' : `Edit ${destination.name}`}</h1>
      <div class="split">
        <form class="panel form" onSubmit={(e) => void submit(e)} noValidate>
          <label>
            Name
            <input required {...text('name')} />
          </label>
          <label>
            URL
            <input required type="url" inputMode="url" placeholder="https://example.com/webhooks" aria-describedby="url-help" {...text('url')} />
          </label>
          <span id="url-help" class="help">
            Path and query may hold placeholders such as {'{{event.type}}'} or {'{{data.id}}'}.
          </span>
          <label>
            Event types
            <input aria-describedby="types-help" placeholder="contact.created, contact.*" {...text('event_types')} />
          </label>
          <span id="types-help" class="help">
            Comma-separated names or wildcards. Available: {eventTypes.map((type) => type.name).join(', ')}.
          </span>
          <div class="row">
            <label>
              Method
              <select value={form.method} onChange={(e) => set('method', e.currentTarget.value as FormState['method'])}>
                {['POST', 'PUT', 'PATCH', 'GET'].map((method) => (
                  <option key={method}>{method}</option>
                ))}
              </select>
            </label>
            <label>
              Trigger
              <select value={form.trigger} onChange={(e) => set('trigger', e.currentTarget.value as FormState['trigger'])}>
                <option value="every_update">Every update</option>
                <option value="first_match">First match (once per subject)</option>
              </select>
            </label>
            <label>
              Timeout (seconds)
              <input type="number" min={1} max={30} {...text('timeout_seconds')} />
            </label>
          </div>
          <PairsEditor legend="Headers" nameLabel="Header" pairs={form.headers} onChange={(pairs) => set('headers', pairs)} />
          <PairsEditor legend="Query parameters" nameLabel="Query parameter" pairs={form.query_params} onChange={(pairs) => set('query_params', pairs)} />
          <label>
            Body template (JSON)
            <textarea rows={6} class="mono" aria-describedby="body-help" placeholder='{"email": "{{data.email}}"}' {...text('body_template')} />
          </label>
          <span id="body-help" class="help">
            Empty sends the default envelope {'{id, type, timestamp, workspace_id, data}'}.
          </span>
          <label>
            Filter (JSON)
            <textarea rows={3} class="mono" placeholder='{"data.segment_id": {"$in": ["seg_1"]}}' {...text('filter')} />
          </label>
          <div class="row">
            <label>
              Max attempts
              <input type="number" min={1} max={20} placeholder="8" {...text('max_attempts')} />
            </label>
            <label>
              Auto-disable after failures
              <input type="number" min={1} max={1000} {...text('failure_threshold')} />
            </label>
          </div>
          <div class="row">
            <label>
              Signature scheme
              <select value={form.signature_scheme} onChange={(e) => set('signature_scheme', e.currentTarget.value as FormState['signature_scheme'])}>
                <option value="standard_webhooks">Standard Webhooks v1</option>
                <option value="standard_webhooks_ed25519">Standard Webhooks v1a (ed25519)</option>
                <option value="hmac_sha256_hex">HMAC-SHA256 hex</option>
                <option value="hmac_sha1_hex">HMAC-SHA1 hex (X-Signature)</option>
              </select>
            </label>
            {isHexScheme(form.signature_scheme) && (
              <label>
                Signature header
                <input placeholder={form.signature_scheme === 'hmac_sha1_hex' ? 'X-Signature' : 'X-Webhook-Signature'} {...text('signature_header')} />
              </label>
            )}
          </div>
          <ReceiverAuthFields state={form.auth} onChange={(state) => set('auth', state)} />
          <ClientTlsFields state={form.tls} onChange={(state) => set('tls', state)} />
          <fieldset>
            <legend>Delivery control</legend>
            <label class="check">
              <input type="checkbox" checked={form.rate_limited} onChange={(e) => set('rate_limited', e.currentTarget.checked)} /> Limit the request rate
            </label>
            {form.rate_limited && (
              <>
                <div class="row">
                  <label>
                    Requests
                    <input type="number" min={1} max={100000} inputMode="numeric" {...text('rate_requests')} />
                  </label>
                  <label>
                    Per seconds
                    <input type="number" min={1} max={3600} inputMode="numeric" {...text('rate_per_seconds')} />
                  </label>
                  <label>
                    Burst
                    <input type="number" min={0} max={1000} inputMode="numeric" aria-describedby="burst-help" {...text('rate_burst')} />
                  </label>
                </div>
                <span id="burst-help" class="help block">
                  Across every worker. Burst: requests beyond the rate allowed at once after a quiet spell. Deliveries over the limit wait their turn as queued,
                  using no attempt.
                </span>
              </>
            )}
            <label>
              Max concurrent requests
              <input
                type="number"
                min={1}
                max={1000}
                inputMode="numeric"
                placeholder="No cap"
                aria-describedby="concurrency-help"
                {...text('max_concurrent_requests')}
              />
            </label>
            <span id="concurrency-help" class="help">
              At most this many requests open at once; empty for no cap.
            </span>
            <label>
              Delivery order
              <select value={form.ordering} aria-describedby="ordering-help" onChange={(e) => set('ordering', e.currentTarget.value as FormState['ordering'])}>
                <option value="none">None: each delivery as soon as it can go</option>
                <option value="subject">Per subject: one at a time, in the order accepted</option>
              </select>
            </label>
            <span id="ordering-help" class="help">
              Per subject: a contact&apos;s later event waits, queued, until its earlier one succeeded or failed for good. Events without a subject are not
              ordered.
            </span>
            {form.ordering === 'subject' && (
              <>
                <label>
                  Coalesce window (seconds)
                  <input
                    type="number"
                    min={1}
                    max={3600}
                    inputMode="numeric"
                    placeholder="Off"
                    aria-describedby="coalesce-help"
                    {...text('coalesce_seconds')}
                  />
                </label>
                <span id="coalesce-help" class="help">
                  A subject&apos;s events within this many seconds of the first are one request: the newest; the others are recorded as superseded. Empty: every
                  event is sent.
                </span>
              </>
            )}
          </fieldset>
          <label class="check">
            <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} /> Enabled
          </label>
          <label class="check">
            <input type="checkbox" checked={form.auto_recover} onChange={(e) => set('auto_recover', e.currentTarget.checked)} /> Re-enable by itself after a
            successful probe
          </label>
          {creating && (
            <>
              <label>
                Signing secret (optional)
                <input type="password" autoComplete="off" aria-describedby="secret-help" {...text('secret')} />
              </label>
              <span id="secret-help" class="help">
                Leave empty and Hookline generates one, shown once after saving.
              </span>
            </>
          )}
          <ErrorNotice error={error} />
          <div class="actions">
            <button type="submit" class="button button-primary" disabled={saving}>
              {creating ? 'Create destination' : 'Save changes'}
            </button>
            <a class="button" href={destination ? `#/destinations/${destination.id}` : '#/destinations'}>
              Cancel
            </a>
          </div>
        </form>
        <RequestPreview
          eventTypes={eventTypes}
          input={{
            name: form.name || 'Preview',
            url: form.url,
            method: form.method,
            headers: mapOf(form.headers),
            query_params: mapOf(form.query_params),
            body_template: json(form.body_template),
          }}
        />
      </div>
    </section>
  );
}
