// Fast loopback webhook receivers: many ports (one origin per destination), 200 or 503 by path, receipts by event.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** A path starting with this answers 503, so a destination's URL decides whether it is healthy. */
export const FAILING_PATH = '/fail';
/** `/flaky/<n>/…` answers 503 to events whose `data.seq` is a multiple of n, so the generator knows which fail. */
export const FLAKY_PATH = '/flaky/';
/** `/fail-once/…` answers 503 to a delivery's first request (by webhook-id) and 200 to the next: one retry each. */
export const FAIL_ONCE_PATH = '/fail-once/';
/**
 * An OAuth 2.0 token endpoint (client credentials) for destinations that authenticate: a new token per request. Its
 * tokens live 30 s, so a steady scenario spans several lifetimes and the figure counts renewals, not only first fetches.
 */
export const TOKEN_PATH = '/oauth/token';
export const TOKEN_LIFETIME_SECONDS = 30;

/** `/fail-first/<n>/…` answers 503 to the first request of events whose `data.seq` is a multiple of n: a retry for a tenth, at 10. */
export const FAIL_FIRST_PATH = '/fail-first/';

function everyOf(url: string, prefix: string): number {
  return Number(url.slice(prefix.length).split('/')[0]);
}

function seqOf(body: Buffer): number | null {
  try {
    const seq = (JSON.parse(body.toString('utf8')) as { data?: { seq?: unknown } }).data?.seq;
    return typeof seq === 'number' ? seq : null;
  } catch {
    return null;
  }
}

/** Whether a request to `prefix/<n>/…` is of an event whose seq is a multiple of n. */
function everyNth(url: string, prefix: string, body: Buffer): boolean {
  const every = everyOf(url, prefix);
  if (!Number.isInteger(every) || every <= 0) return false;
  const seq = seqOf(body);
  return seq !== null && seq % every === 0;
}

function flakyFails(url: string, body: Buffer): boolean {
  return everyNth(url, FLAKY_PATH, body);
}

interface Waiter {
  count: number;
  resolve: (times: number[]) => void;
}

export class ReceiverTimeoutError extends Error {
  override name = 'ReceiverTimeoutError';
}

export class ReceiverFarm {
  /** Successful (200) receipt times per event id, in arrival order; one per delivery (webhook-id). */
  private readonly receipts = new Map<string, number[]>();
  private readonly seenDeliveries = new Set<string>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly failedOnce = new Set<string>();
  delivered = 0;
  duplicates = 0;
  failedAnswers = 0;
  /** Token requests to TOKEN_PATH: what the OAuth figure counts against the destinations' token lifetimes. */
  tokenRequests = 0;

  private constructor(
    private readonly servers: Server[],
    readonly origins: string[],
  ) {}

  static async start(ports: number): Promise<ReceiverFarm> {
    const servers: Server[] = [];
    const origins: string[] = [];
    let farm: ReceiverFarm | null = null;
    const handler = (req: IncomingMessage, res: ServerResponse) => farm!.handle(req, res);
    for (let i = 0; i < ports; i++) {
      const server = createServer({ keepAliveTimeout: 60_000 }, handler);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      servers.push(server);
      origins.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
    farm = new ReceiverFarm(servers, origins);
    return farm;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks);
      const url = req.url ?? '/';
      if (url === TOKEN_PATH) {
        this.tokenRequests++;
        const token = JSON.stringify({ access_token: `bench-token-${this.tokenRequests}`, token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(token) }).end(token);
        return;
      }
      const deliveryId = String(req.headers['webhook-id'] ?? '');
      const failsFirst = url.startsWith(FAIL_ONCE_PATH) || (url.startsWith(FAIL_FIRST_PATH) && everyNth(url, FAIL_FIRST_PATH, body));
      const firstOfFailOnce = failsFirst && !this.failedOnce.has(deliveryId);
      if (firstOfFailOnce) this.failedOnce.add(deliveryId);
      if (
        firstOfFailOnce ||
        (url.startsWith(FAILING_PATH) && !url.startsWith(FAIL_ONCE_PATH) && !url.startsWith(FAIL_FIRST_PATH)) ||
        (url.startsWith(FLAKY_PATH) && flakyFails(url, body))
      ) {
        this.failedAnswers++;
        res.writeHead(503, { 'content-length': '0' }).end();
        return;
      }
      res.writeHead(200, { 'content-length': '0' }).end();
      this.record(deliveryId, body, at);
    });
  }

  private record(deliveryId: string, body: Buffer, at: number): void {
    if (deliveryId !== '') {
      if (this.seenDeliveries.has(deliveryId)) {
        this.duplicates++;
        return;
      }
      this.seenDeliveries.add(deliveryId);
    }
    this.delivered++;
    let eventId: string;
    try {
      eventId = String((JSON.parse(body.toString('utf8')) as { id?: unknown }).id ?? '');
    } catch {
      return; // the HTTP floor's requests carry no envelope; they count, but belong to no event
    }
    const times = this.receipts.get(eventId) ?? [];
    times.push(at);
    this.receipts.set(eventId, times);
    const waiter = this.waiters.get(eventId);
    if (waiter && times.length >= waiter.count) {
      this.waiters.delete(eventId);
      waiter.resolve(times);
    }
  }

  receiptsOf(eventId: string): number[] {
    return this.receipts.get(eventId) ?? [];
  }

  /** Of these accepted events: how many never arrived, how many arrived more than once, and when the last one did. */
  tally(eventIds: readonly string[]): { lost: number; twice: number; lastReceipt: number } {
    let lost = 0;
    let twice = 0;
    let lastReceipt = 0;
    for (const eventId of eventIds) {
      const receipts = this.receiptsOf(eventId);
      if (receipts.length === 0) lost++;
      if (receipts.length > 1) twice++;
      for (const at of receipts) lastReceipt = Math.max(lastReceipt, at);
    }
    return { lost, twice, lastReceipt };
  }

  /** Resolves with the receipt times once `count` deliveries of the event arrived. */
  whenReceived(eventId: string, count: number, timeoutMs: number): Promise<number[]> {
    const times = this.receiptsOf(eventId);
    if (times.length >= count) return Promise.resolve(times);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(eventId);
        reject(new ReceiverTimeoutError(`event ${eventId}: ${this.receiptsOf(eventId).length} of ${count} deliveries within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(eventId, {
        count,
        resolve: (received) => {
          clearTimeout(timer);
          resolve(received);
        },
      });
    });
  }

  /** Forgets earlier scenarios' receipts so each scenario counts only its own. */
  reset(): void {
    this.receipts.clear();
    this.seenDeliveries.clear();
    this.failedOnce.clear();
    this.delivered = 0;
    this.duplicates = 0;
    this.failedAnswers = 0;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  }
}
