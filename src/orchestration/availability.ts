// Tells "Temporal cannot be reached or did not answer in time" from a request Temporal refused.

// gRPC status codes (fixed by the gRPC spec): CANCELLED 1, DEADLINE_EXCEEDED 4, RESOURCE_EXHAUSTED 8, UNAVAILABLE 14.
const UNAVAILABLE = new Set([1, 4, 8, 14]);

/** True for an outage or a deadline: the same start may succeed moments later (and is idempotent by workflow id). */
export function isTemporalUnavailable(error: unknown): boolean {
  let current: unknown = error;
  // The client wraps gRPC errors (ServiceError → cause).
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'number' && UNAVAILABLE.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
