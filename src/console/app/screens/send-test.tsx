// Send test: one attempt with a chosen event type's example, and what the receiver answered.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNotice, EventTypeSelect } from '../components';
import { milliseconds } from '../format';
import { href } from '../route';
import type { EventType, TestResult } from '../types';

export function SendTestPanel({ destinationId, eventTypes, onSent }: { destinationId: string; eventTypes: EventType[]; onSent: () => void }) {
  const [eventType, setEventType] = useState('webhook.test');
  const [result, setResult] = useState<TestResult | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);

  const send = async () => {
    setSending(true);
    setResult(null);
    try {
      setResult(await api.post<TestResult>(`/v1/destinations/${destinationId}/test`, { event_type: eventType }));
      setError(undefined);
      onSent();
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setSending(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="test-title">
      <h2 id="test-title">Send a test</h2>
      <div class="row end">
        <EventTypeSelect label="Event type" eventTypes={eventTypes} value={eventType} onChange={setEventType} />
        <button type="button" class="button button-primary" disabled={sending} onClick={() => void send()}>
          {sending ? 'Sending…' : 'Send test'}
        </button>
      </div>
      <ErrorNotice error={error} />
      {result && (
        <div class={`notice ${result.ok ? 'notice-success' : 'notice-error'}`} role="status" data-testid="test-result">
          <p>
            <strong>{result.ok ? 'Delivered' : 'Failed'}</strong> · status {result.status_code ?? 'none'} · {milliseconds(result.duration_ms)}
          </p>
          {result.error && <p>{result.error}</p>}
          {result.response_excerpt !== null && (
            <>
              <p class="small">Response excerpt</p>
              <pre class="code">{result.response_excerpt}</pre>
            </>
          )}
          <a href={href({ screen: 'delivery', id: result.delivery_id })}>Open this delivery</a>
        </div>
      )}
    </section>
  );
}
