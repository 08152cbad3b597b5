// The API's server span per request, continuing the caller's W3C trace context; POST /v1/events' span is the trace's root.
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { routeOf } from '../../observability/api-metrics';

const tracer = trace.getTracer('hookline-api');
// Scrapes and probes are not the tenants' traffic.
const UNTRACED = new Set(['/metrics', '/healthz', '/readyz']);

/** A no-op until tracing is started (the global tracer provider is then the SDK's). */
export function traceRequests(): RequestHandler {
  return (req, res, next) => {
    if (UNTRACED.has(req.path)) return next();
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } }, parent);
    res.once('finish', () => {
      // The route is known only once Express has matched it; ids stay out of span names.
      const route = routeOf(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
