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
      const where = typeof error.body === 'string' ? locateJsonError(error.body) : null;
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

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = error instanceof DomainError ? error : fromBodyParser(error as { type?: string });
    if (known) {
      res.status(statusOf(known)).json({ error: { code: known.code, message: known.message, details: known.details } });
      return;
    }
    // Unexpected: log it with the request, answer without internals.
    logger.error({ err: error, method: req.method, path: req.path }, 'unhandled API error');
    res.status(500).json({ error: { code: 'internal_error', message: 'Internal server error', details: [] } });
  };
}
