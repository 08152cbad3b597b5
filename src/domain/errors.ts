// The errors the domain and the store raise: a machine-readable code and a human message, no HTTP status (the API maps them).

/** Where in the input a problem is, for the `details` of an error answer. */
export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
}

export abstract class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

/** The input is malformed: it could never be accepted as sent (bad cursor, bad header value, schema mismatch of the request). */
export class InvalidInputError extends DomainError {
  override name = 'InvalidInputError';
}

/** Well-formed, but it breaks one of the product's rules (a forbidden URL, an unknown event type, a reserved header). */
export class RuleViolationError extends DomainError {
  override name = 'RuleViolationError';
}

/** Missing, deleted, or another workspace's: callers cannot tell these apart, on purpose. */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

/** Conflicts with the current state (a delivery still in flight, a paused destination, a cap reached). */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

/** Missing or wrong credentials. */
export class UnauthorizedError extends DomainError {
  override name = 'UnauthorizedError';
  constructor(message: string) {
    super('unauthorized', message);
  }
}

/** Known credentials that may not do this (a read-only or narrowed portal session, a route the portal does not offer). */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
}

/** Something we waited for did not finish in time; it may still finish later. */
export class DeadlineExceededError extends DomainError {
  override name = 'DeadlineExceededError';
}

/** A dependency (PostgreSQL, Temporal) cannot be reached; the same request may succeed later. */
export class UnavailableError extends DomainError {
  override name = 'UnavailableError';
}
