// Live preview of the request a destination would send, rendered by the API with the deliveries' own renderer.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNotice, EventTypeSelect } from '../components';
import type { EventType, RenderPreview } from '../types';

export interface PreviewInput {
  name: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  query_params: Record<string, string>;
  /** Undefined while the template text is not valid JSON. */
  body_template: unknown;
}

export function RequestPreview({ input, eventTypes }: { input: PreviewInput; eventTypes: EventType[] }) {
  const [eventType, setEventType] = useState('webhook.test');
  const [preview, setPreview] = useState<RenderPreview | null>(null);
  const [error, setError] = useState<Error | undefined>(undefined);
  const key = JSON.stringify([input, eventType]);

  useEffect(() => {
    if (input.url.trim() === '' || input.body_template === undefined) return undefined;
    // A short pause after typing, so the preview follows the form without a request per key press.
    const timer = setTimeout(() => {
      api
        .post<RenderPreview>('/v1/destinations/render-preview', { ...input, event_type: eventType })
        .then((result) => {
          setPreview(result);
          setError(undefined);
        })
        .catch((caught: Error) => setError(caught));
    }, 250);
    return () => clearTimeout(timer);
  }, [key]);

  return (
    <section class="panel preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <EventTypeSelect label="Example event" eventTypes={eventTypes} value={eventType} onChange={setEventType} />
      {input.body_template === undefined && <p class="notice notice-warning">The body template is not valid JSON.</p>}
      <ErrorNotice error={error} />
      {preview && !preview.ok && (
        <p class="notice notice-error" role="alert">
          {preview.error?.message}
        </p>
      )}
      {preview?.ok && (
        <div aria-live="polite">
          <p class="mono preview-line">
            {preview.method} {preview.url}
          </p>
          <h3>Headers</h3>
          <pre class="code" data-testid="preview-headers">
            {Object.entries(preview.headers)
              .map(([name, value]) => `${name}: ${value}`)
              .join('\n')}
            {'\n'}+ signature headers, computed when sent
          </pre>
          <h3>Body</h3>
          <pre class="code" data-testid="preview-body">
            {preview.body === '' ? '(no body)' : pretty(preview.body)}
          </pre>
        </div>
      )}
    </section>
  );
}

function pretty(body: string | null): string {
  if (body === null) return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
