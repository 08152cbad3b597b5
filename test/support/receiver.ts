// A real HTTP receiver on loopback that records every request and answers as a test scripts it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type ServerOptions as TlsServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
  /** Over TLS with a client certificate: its subject's common name. */
  clientCertificate?: string;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (a slow or hanging receiver). */
  delayMs?: number;
}

export type Responder = (request: ReceivedRequest, index: number) => ScriptedResponse;

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  respondWith(responder: Responder): void;
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

function flatHeaders(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export interface ReceiverOptions {
  /** An https receiver (its URL names localhost, which its certificate must cover), e.g. asking for a client certificate. */
  tls?: TlsServerOptions;
}

export async function startReceiver(responder: Responder = () => ({ status: 200, body: 'ok' }), options: ReceiverOptions = {}): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let respond = responder;
  const waiters: Array<() => void> = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: flatHeaders(req),
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      const peer = options.tls ? (req.socket as TLSSocket).getPeerCertificate() : null;
      if (peer?.subject?.CN) received.clientCertificate = String(peer.subject.CN);
      requests.push(received);
      waiters.splice(0).forEach((wake) => wake());
      const answer = respond(received, requests.length - 1);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
      else send();
    });
  };
  const server: Server = options.tls ? createTlsServer(options.tls, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const url = options.tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;

  return {
    url,
    requests,
    respondWith(next) {
      respond = next;
    },
    async waitForRequests(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`receiver got ${requests.length} of ${count} expected requests within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 250));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return requests.slice(0, count);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
