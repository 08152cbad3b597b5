// The outcome class of one delivery attempt, the one label operators slice attempts by (bounded: eight values).

/** What happened to the request, not what Hookline decided about it (a 503 and a 500 are both `5xx`). */
export type OutcomeClass = '2xx' | '3xx' | '4xx' | '5xx' | 'timeout' | 'network' | 'ssrf' | 'template';

export const OUTCOME_CLASSES: readonly OutcomeClass[] = ['2xx', '3xx', '4xx', '5xx', 'timeout', 'network', 'ssrf', 'template'];

export type SentAttempt = { kind: 'response'; status: number } | { kind: 'error'; error: { name: string; code?: string } };

// undici's own deadlines, the socket's, and AbortSignal.timeout's DOMException (name TimeoutError).
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'HeadersTimeoutError', 'BodyTimeoutError', 'ConnectTimeoutError']);

export function outcomeClassOf(sent: SentAttempt): OutcomeClass {
  if (sent.kind === 'response') {
    if (sent.status >= 200 && sent.status <= 299) return '2xx';
    if (sent.status >= 300 && sent.status <= 399) return '3xx';
    if (sent.status >= 400 && sent.status <= 499) return '4xx';
    // Anything else a receiver can answer (5xx, or a nonsense status) is the receiver's fault.
    return '5xx';
  }
  // Our own guard refused the address: not the receiver's network, and waiting will not change it.
  if (sent.error.name === 'ForbiddenAddressError') return 'ssrf';
  if ((sent.error.code && TIMEOUT_CODES.has(sent.error.code)) || TIMEOUT_NAMES.has(sent.error.name)) return 'timeout';
  return 'network';
}
