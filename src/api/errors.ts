// The API's one error shape: a typed ApiError becomes {"error": {code, message, details}}.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { locateJsonError } from '../domain/json-error-position';

export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }

  static validation(error: z.ZodError, where: 'body' | 'query' | 'params' | 'headers'): ApiError {
    const details = error.issues.map((issue) => ({
      path: [where, ...issue.path.map(String)].join('.'),
      message: issue.message,
      code: issue.code,
    }));
    const first = details[0];
    const summary = first ? `${first.path}: ${first.message}` : 'invalid request';
    return new ApiError(400, 'validation_failed', `Request ${where} is invalid: ${summary}`, details);
  }

  static notFound(what: string): ApiError {
    return new ApiError(404, 'not_found', `${what} not found`);
  }
}

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'route_not_found', `No route for ${req.method} ${req.path}`));
};

/** body-parser's own errors carry a `type`; they become 400/413 with the parser's words. */
function fromBodyParser(error: { type?: string; message?: string; status?: number; limit?: number; body?: unknown }): ApiError | null {
  switch (error.type) {
    case 'entity.parse.failed': {
      const where = typeof error.body === 'string' ? locateJsonError(error.body) : null;
      const at = where ? ` at line ${where.line}, column ${where.column} (position ${where.position})` : '';
      return new ApiError(400, 'malformed_json', `Request body is not valid JSON${at}: ${error.message ?? 'parse error'}`, [
        { path: 'body', message: where ? `syntax error at position ${where.position}` : 'syntax error' },
      ]);
    }
    case 'entity.too.large':
      return new ApiError(413, 'payload_too_large', `Request body exceeds the limit of ${error.limit ?? 'the configured'} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported_encoding', error.message ?? 'Unsupported request encoding');
    case 'request.aborted':
      return new ApiError(400, 'request_aborted', 'The request was aborted by the client');
    default:
      return null;
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const apiError = error instanceof ApiError ? error : fromBodyParser(error as { type?: string });
    if (apiError) {
      res.status(apiError.status).json({
        error: { code: apiError.code, message: apiError.message, details: apiError.details },
      });
      return;
    }
    // Unexpected: log it with the request, answer without internals.
    logger.error({ err: error, method: req.method, path: req.path }, 'unhandled API error');
    res.status(500).json({ error: { code: 'internal_error', message: 'Internal server error', details: [] } });
  };
}
