// The API's Prometheus metrics: events ingested and refused (by error code), ingest latency, and requests by route.
import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Ingestion waits for one PostgreSQL commit: milliseconds when healthy, seconds when the database struggles.
const INGEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface ApiMetrics {
  registry: Registry;
  ingested: Counter<'replayed'>;
  refused: Counter<'code' | 'status'>;
  ingestDuration: Histogram<'status'>;
  requests: Counter<'method' | 'route' | 'status'>;
}

/** Labels are bounded: error codes and routes are Hookline's own vocabulary, never a tenant's id. */
export function createApiMetrics(options: { defaultMetrics?: boolean } = {}): ApiMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: 'api' });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: ApiMetrics = {
    registry,
    ingested: new Counter({
      name: 'hookline_events_ingested_total',
      help: 'Events accepted by POST /v1/events (replayed: an Idempotency-Key seen before)',
      labelNames: ['replayed'],
      registers,
    }),
    refused: new Counter({
      name: 'hookline_events_refused_total',
      help: 'POST /v1/events answered with an error, by error code',
      labelNames: ['code', 'status'],
      registers,
    }),
    ingestDuration: new Histogram({
      name: 'hookline_ingest_duration_seconds',
      help: 'POST /v1/events from request to answer',
      labelNames: ['status'],
      buckets: INGEST_BUCKETS,
      registers,
    }),
    requests: new Counter({
      name: 'hookline_http_requests_total',
      help: 'API requests by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
  };
  for (const replayed of ['false', 'true']) metrics.ingested.inc({ replayed }, 0);
  return metrics;
}

/** The route pattern Express matched (`/v1/destinations/:id`), so ids never become label values. */
export function routeOf(req: { route?: { path?: unknown }; baseUrl?: string }): string {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}

/** Counts every request when it finishes; the error code comes from the error handler (res.locals.errorCode). */
export function measureRequests(metrics: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    const ingest = req.method === 'POST' && req.path === '/v1/events';
    const stop = ingest ? metrics.ingestDuration.startTimer() : null;
    res.once('finish', () => {
      const status = String(res.statusCode);
      metrics.requests.inc({ method: req.method, route: routeOf(req), status });
      if (!stop) return;
      stop({ status });
      if (res.statusCode === 202) {
        metrics.ingested.inc({ replayed: res.getHeader('idempotent-replayed') === 'true' ? 'true' : 'false' });
      } else metrics.refused.inc({ code: typeof res.locals.errorCode === 'string' ? res.locals.errorCode : `http_${status}`, status });
    });
    next();
  };
}
