// The delivery's outgoing request as a client span, and its W3C `traceparent` for the receiver (per-destination switch).
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { loggableUrl } from './attempt-report';

const tracer = trace.getTracer('hookline-worker');

export interface TracedRequest {
  method: string;
  url: string;
  /** The headers about to be sent: `traceparent` (and `tracestate`) are added here when `propagate` is on. */
  headers: Record<string, string>;
  /** The destination's `trace_context`: a receiver that traces joins Hookline's trace. */
  propagate: boolean;
}

type Sent = { kind: 'response'; status: number } | { kind: 'error'; error: { name: string; message: string } };

export async function sendTraced<T extends Sent>(request: TracedRequest, send: () => Promise<T>): Promise<T> {
  const url = new URL(request.url);
  return tracer.startActiveSpan(
    request.method,
    { kind: SpanKind.CLIENT, attributes: { 'http.request.method': request.method, 'url.full': loggableUrl(request.url), 'server.address': url.hostname } },
    async (span) => {
      if (request.propagate) propagation.inject(context.active(), request.headers);
      try {
        const result = await send();
        if (result.kind === 'response') {
          span.setAttribute('http.response.status_code', result.status);
          if (result.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
        } else {
          span.setAttribute('error.type', result.error.name);
          span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.message });
        }
        return result;
      } finally {
        span.end();
      }
    },
  );
}
