// LISTEN for accepted events on a connection of its own (a pooled one would be handed to queries), reconnecting after any loss.
import { Client } from 'pg';
import { OUTBOX_CHANNEL } from './event-outbox';

export interface OutboxListener {
  close(): Promise<void>;
}

const RECONNECT_MS = [250, 1_000, 5_000];

/**
 * Calls `onAccepted` for every commit that put an event in the outbox, and once after each (re)connection, since
 * notifications sent while it was away are gone. Only a wake-up: the relay polls too, so losing it costs latency only.
 */
export function listenForAcceptedEvents(url: string, onAccepted: () => void, onError: (error: unknown) => void): OutboxListener {
  let client: Client | null = null;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | null = null;

  const connect = async () => {
    if (closed) return;
    const next = new Client({ connectionString: url });
    next.on('notification', () => onAccepted());
    next.on('error', (error) => lost(next, error));
    try {
      await next.connect();
      await next.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (closed) return void (await next.end().catch(() => undefined));
      client = next;
      failures = 0;
      onAccepted();
    } catch (error) {
      lost(next, error);
    }
  };
  const lost = (which: Client, error: unknown) => {
    if (closed || (client !== null && client !== which)) return;
    client = null;
    void which.end().catch(() => undefined);
    onError(error);
    const delay = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)]!;
    failures += 1;
    retry ??= setTimeout(() => {
      retry = null;
      void connect();
    }, delay);
  };
  void connect();

  return {
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
