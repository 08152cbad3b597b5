// Node/Express middleware: reads the raw body, rejects bad or stale signatures with 401, hands on the parsed envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookEnvelope } from './envelope';
import { verifyWebhookOrThrow, WebhookVerificationError, type VerifyWebhookInput } from './verify';

export interface WebhookMiddlewareOptions extends Omit<VerifyWebhookInput, 'headers' | 'body' | 'nowSeconds'> {
  /** Larger bodies are refused with 413 before any verification (default 1 MiB; Hookline's default limit is 256 KiB). */
  maxBodyBytes?: number;
}

/** What the middleware adds to a request it let through. */
export interface VerifiedRequest<T = unknown> extends IncomingMessage {
  /** The parsed body: Hookline's envelope unless the destination has a body_template. */
  body: WebhookEnvelope<T>;
  /** The bytes the signature covers. */
  rawBody: Buffer;
  /** The delivery id (Standard Webhooks' webhook-id), stable across retries: deduplicate on it. Null for the hex scheme. */
  webhookId: string | null;
}

type Next = (error?: unknown) => void;
type IncomingWithBody = IncomingMessage & { body?: unknown };

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

/** The raw body: what express.raw() or express.text() already read, else the request stream itself. */
async function rawBodyOf(req: IncomingWithBody, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(req.body)) return req.body;
  if (typeof req.body === 'string') return Buffer.from(req.body, 'utf8');
  if (req.body !== undefined || req.readableEnded) {
    // Re-serialising parsed JSON would not give back the signed bytes, so verifying it would be a lie.
    throw new Error('webhookMiddleware needs the raw body: mount it before express.json(), or after express.raw({ type: "*/*" })');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function reject(res: ServerResponse, status: number, code: string, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ error: { code, message } }));
}

/**
 * `app.post('/webhooks', webhookMiddleware({ secret }), (req, res) => { ... req.body ... })`.
 * Answers 401 itself when the signature is missing, wrong or stale, so a handler only ever sees authentic deliveries.
 */
export function webhookMiddleware(options: WebhookMiddlewareOptions) {
  const { maxBodyBytes = DEFAULT_MAX_BODY_BYTES, ...verify } = options;
  return async (req: IncomingMessage, res: ServerResponse, next: Next): Promise<void> => {
    let rawBody: Buffer;
    try {
      rawBody = await rawBodyOf(req, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) return reject(res, 413, 'payload_too_large', `body exceeds ${maxBodyBytes} bytes`);
      return next(error);
    }
    try {
      verifyWebhookOrThrow({ ...verify, headers: req.headers, body: rawBody });
    } catch (error) {
      if (error instanceof WebhookVerificationError) return reject(res, 401, error.reason, error.message);
      return next(error);
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return reject(res, 400, 'malformed_json', 'the signed body is not JSON');
    }
    const verified = req as VerifiedRequest;
    verified.rawBody = rawBody;
    verified.body = body as WebhookEnvelope;
    const id = req.headers['webhook-id'];
    verified.webhookId = typeof id === 'string' ? id : null;
    next();
  };
}
