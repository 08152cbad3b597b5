// The API's one error shape: a domain error (or a body-parser failure) becomes a status and {"error": {code, message, details}}.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  ConflictError,
  DeadlineExceededError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RuleViolationError,
  UnauthorizedError,
  UnavailableError,
  type ErrorDetail,
} from '../../domain/errors';
import { locateJsonError } from '../../domain/json-error-position';
import { isDatabaseUnavailable } from '../../store/availability';
import { BodyRejected, UnsupportedBody } from './request-guards';

/** Failures of HTTP itself (framing, size, encoding), which have no domain meaning. */
class HttpError extends DomainError {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: ErrorDetail[] = [],
  ) {
    super(code, message, details);
  }
}

/** The one place a kind of error becomes a status. */
const STATUS_OF: [new (...args: never[]) => DomainError, number][] = [
  [InvalidInputError, 400],
  [UnauthorizedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [RuleViolationError, 422],
  [UnavailableError, 503],
  [DeadlineExceededError, 504],
];

/** A 503 means nothing was accepted (PostgreSQL or Temporal is down); this is when to send the same request again. */
export const RETRY_AFTER_SECONDS = 2;

function statusOf(error: DomainError): number {
  if (error instanceof HttpError) return error.status;
  return STATUS_OF.find(([kind]) => error instanceof kind)?.[1] ?? 500;
}

/** A zod failure of one part of the request, with a detail per issue. */
export function requestInvalid(error: z.ZodError, where: 'body' | 'query' | 'params' | 'headers'): InvalidInputError {
  const details = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: issue.code,
  }));
  const first = details[0];
  const summary = first ? `${first.path}: ${first.message}` : 'invalid request';
  return new InvalidInputError('validation_failed', `Request ${where} is invalid: ${summary}`, details);
}

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'route_not_found', `No route for ${req.method} ${req.path}`));
};

/** body-parser's own errors carry a `type`; they become 400/413/415 with the parser's words. */
function fromBodyParser(error: { type?: string; message?: string; status?: number; limit?: number; body?: unknown }): HttpError | null {
  switch (error.type) {
    case 'entity.parse.failed': {
      const where = jsonErrorAt(error.body);
      const at = where ? ` at line ${where.line}, column ${where.column} (position ${where.position})` : '';
      return new HttpError(400, 'malformed_json', `Request body is not valid JSON${at}: ${error.message ?? 'parse error'}`, [
        { path: 'body', message: where ? `syntax error at position ${where.position}` : 'syntax error' },
      ]);
    }
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', `Request body exceeds the limit of ${error.limit ?? 'the configured'} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_encoding', error.message ?? 'Unsupported request encoding');
    case 'request.aborted':
      return new HttpError(400, 'request_aborted', 'The request was aborted by the client');
    default:
      return null;
  }
}

/** Where a JSON text breaks, if it can be told cheaply and safely; the answer must never fail because of it. */
function jsonErrorAt(body: unknown) {
  try {
    return typeof body === 'string' ? locateJsonError(body) : null;
  } catch {
    return null;
  }
}

/** Any error as the answer it deserves: ours, the parser's, HTTP's own (a bad %-escape), or a dependency outage. */
function known(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  if (error instanceof BodyRejected)
    return error.rejection instanceof DomainError ? error.rejection : new HttpError(415, 'unsupported_media_type', error.message);
  if (error instanceof UnsupportedBody) return new HttpError(415, 'unsupported_media_type', error.message);
  if (isDatabaseUnavailable(error)) return new UnavailableError('database_unavailable', 'PostgreSQL cannot be reached right now; retry shortly');
  const parsed = fromBodyParser(error as { type?: string });
  if (parsed) return parsed;
  // Errors Express and body-parser raise with a 4xx status (e.g. a path with an invalid %-escape, a gzip body that is not gzip).
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(status === 403 ? 400 : status, 'malformed_request', `The request could not be read: ${(error as Error).message ?? 'malformed'}`);
  }
  return null;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    try {
      const answer = known(error);
      if (answer) {
        // For the access log and the refusal metrics, which see only the finished response.
        res.locals.errorCode = answer.code;
        // A dependency outage clears by itself: say when to try again.
        if (answer instanceof UnavailableError) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
        res.status(statusOf(answer)).json({ error: { code: answer.code, message: answer.message, details: answer.details } });
        return;
      }
      // Unexpected: log it with the request, answer without internals.
      logger.error({ err: error, method: req.method, path: req.path, request_id: res.locals.requestId }, 'unhandled API error');
    } catch (failure) {
      // The error path itself must never throw: whatever went wrong above, the client still gets the one error shape.
      logger.error({ err: failure }, 'error while answering an error');
    }
    res.locals.errorCode = 'internal_error';
    if (!res.headersSent) res.status(500).json({ error: { code: 'internal_error', message: 'Internal server error', details: [] } });
  };
}
