// Sends one rendered, signed webhook request with undici and reads a bounded excerpt of the answer.
import { type Dispatcher, request } from 'undici';
import { ForbiddenAddressError, isForbiddenAddress, parseIpLiteral } from '../../domain/url-safety';

export const RESPONSE_EXCERPT_BYTES = 4_096;
// Past this the connection is dropped rather than drained: a receiver streaming forever must not hold a worker.
const MAX_DRAIN_BYTES = 1_048_576;
const KEPT_RESPONSE_HEADERS = ['content-type', 'retry-after', 'location', 'x-request-id', 'date', 'server'];

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  timeoutMs: number;
}

export type SendResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; excerpt: string; durationMs: number }
  | { kind: 'error'; error: { name: string; code?: string; message: string }; durationMs: number };

export interface SendOptions {
  dispatcher: Dispatcher;
  allowPrivate: boolean;
  now: () => number;
}

function keptHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_RESPONSE_HEADERS) {
    const value = headers[name];
    if (value !== undefined) kept[name] = recordable(Array.isArray(value) ? value.join(', ') : value);
  }
  return kept;
}

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.length;
    if (kept < RESPONSE_EXCERPT_BYTES) {
      const slice = chunk.subarray(0, RESPONSE_EXCERPT_BYTES - kept);
      chunks.push(slice);
      kept += slice.length;
    }
    if (seen > MAX_DRAIN_BYTES) {
      body.destroy();
      break;
    }
  }
  return recordable(Buffer.concat(chunks).toString('utf8'));
}

/** What a receiver sent, made storable as text: NUL and broken UTF-16 become U+FFFD, so the attempt can always be recorded. */
function recordable(text: string): string {
  return text.replace(/\u0000/g, '\uFFFD').toWellFormed();
}

// Node's advice to whoever runs Node, appended to TLS trust errors; a person reading an attempt fixes the CA instead.
const NODE_CA_HINT = /; if the root CA is installed locally, try running Node\.js with --use-system-ca/g;

function describeError(error: unknown): { name: string; code?: string; message: string } {
  const err = error as { name?: string; code?: string; message?: string; cause?: unknown };
  // undici wraps connect failures; the cause carries the errno-style code.
  const cause = err.cause as { name?: string; code?: string; message?: string } | undefined;
  // Only string codes are errno/undici codes: a DOMException (AbortSignal.timeout's TimeoutError) has a numeric legacy code (23).
  const code = [err.code, cause?.code].find((candidate): candidate is string => typeof candidate === 'string');
  const name = cause?.name === 'ForbiddenAddressError' ? 'ForbiddenAddressError' : (err.name ?? 'Error');
  const message = (cause?.message && cause.message !== err.message ? `${err.message}: ${cause.message}` : (err.message ?? String(error))).replace(
    NODE_CA_HINT,
    '',
  );
  return code ? { name, code, message } : { name, message };
}

export async function sendWebhook(outgoing: OutgoingRequest, options: SendOptions): Promise<SendResult> {
  const started = options.now();
  try {
    const host = new URL(outgoing.url).hostname;
    const literal = parseIpLiteral(host);
    if (!options.allowPrivate && literal && isForbiddenAddress(literal.address)) {
      throw new ForbiddenAddressError(literal.address);
    }
    // One deadline for the whole exchange: connect, headers and the excerpt.
    const signal = AbortSignal.timeout(outgoing.timeoutMs);
    const response = await request(outgoing.url, {
      method: outgoing.method as Dispatcher.HttpMethod,
      headers: outgoing.headers,
      body: outgoing.body ?? undefined,
      dispatcher: options.dispatcher,
      signal,
      headersTimeout: outgoing.timeoutMs,
      bodyTimeout: outgoing.timeoutMs,
    });
    const excerpt = await readExcerpt(response.body);
    return {
      kind: 'response',
      status: response.statusCode,
      headers: keptHeaders(response.headers),
      excerpt,
      durationMs: options.now() - started,
    };
  } catch (error) {
    return { kind: 'error', error: describeError(error), durationMs: options.now() - started };
  }
}
