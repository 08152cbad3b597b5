// One JSON line per API request (pino-http): method, route, status, duration, workspace, request id; never a body or header.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { routeOf } from '../../observability/api-metrics';

// Probes and scrapes arrive every few seconds and say nothing about the tenants' traffic.
const QUIET_PATHS = new Set(['/metrics', '/healthz', '/readyz']);

type Request = IncomingMessage & { id?: unknown; route?: { path?: unknown }; baseUrl?: string; originalUrl?: string };
type Response = ServerResponse & { locals?: Record<string, unknown> };

const pathOf = (req: Request) => (req.originalUrl ?? req.url ?? '').split('?')[0]!;

/** The id request-id.ts assigned (and echoed), so the log line and the caller's report name the same request. */
function requestIdOf(_req: Request, res: Response): string {
  const id = res.locals?.requestId;
  return typeof id === 'string' ? id : randomUUID();
}

export function accessLog(logger: Logger): RequestHandler {
  return pinoHttp<Request, Response>({
    logger,
    genReqId: requestIdOf,
    quietReqLogger: true,
    autoLogging: { ignore: (req) => QUIET_PATHS.has(pathOf(req)) },
    // Only these fields, so headers (Authorization, Idempotency-Key) and bodies can never reach a log.
    serializers: {
      req: (req: { id?: unknown; method?: string; raw?: Request }) => ({ id: req.id, method: req.method, path: req.raw ? pathOf(req.raw) : undefined }),
      res: (res: { statusCode?: number }) => ({ status_code: res.statusCode }),
    },
    customAttributeKeys: { responseTime: 'duration_ms', reqId: 'request_id' },
    // pino-http also asks at the start of a request, before routing and auth: only the finished response has these.
    customProps: (req, res) =>
      !res.writableEnded
        ? {}
        : {
            route: routeOf(req),
            ...(typeof res.locals?.workspaceId === 'string' ? { workspace_id: res.locals.workspaceId } : {}),
            ...(typeof res.locals?.errorCode === 'string' ? { error_code: res.locals.errorCode } : {}),
          },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res, responseTime) => `${req.method} ${pathOf(req)} ${res.statusCode} in ${Math.round(responseTime)} ms`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode} failed`,
  }) as unknown as RequestHandler;
}
