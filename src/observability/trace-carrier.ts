// A trace's context as text (W3C traceparent, tracestate) to carry across the outbox, so the relay's start joins the ingest request's trace.
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';

export type TraceCarrier = Record<string, string>;

/** The active span's context, or null outside one (no tracing configured, or no request being traced). */
export function activeTraceCarrier(): TraceCarrier | null {
  if (!trace.getSpan(context.active())) return null;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : null;
}

/** Runs `work` as a continuation of the carried trace; as is without one. */
export function withinTrace<T>(carrier: TraceCarrier | null, work: () => Promise<T>): Promise<T> {
  if (carrier === null) return work();
  return context.with(propagation.extract(ROOT_CONTEXT, carrier), work);
}
