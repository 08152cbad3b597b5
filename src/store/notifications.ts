// LISTEN on a PostgreSQL channel over a connection of its own (a pooled one would be handed to queries), reconnecting after any loss.
import { sql, type Kysely } from 'kysely';
import { Client } from 'pg';
import type { Database } from '../db/schema';

/** Commits that change what the API caches (a key revoked, an event type's schema replaced) notify this channel. */
export const CONFIG_CHANNEL = 'hookline_config';

/** Delivered when the caller's transaction commits (at once outside one). */
export async function notifyConfigChange(db: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_notify(${CONFIG_CHANNEL}, '')`.execute(db);
}

export interface Listener {
  /** True while the connection listens: a cache may trust that it hears of every change only then. */
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface ListenHandlers {
  /** Each notification; also once after each (re)connection, since notifications sent while away are gone. */
  onNotify: () => void;
  onError: (error: unknown) => void;
}

const RECONNECT_MS = [250, 1_000, 5_000];

export function listen(url: string, channel: string, handlers: ListenHandlers): Listener {
  let client: Client | null = null;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | null = null;

  const connect = async () => {
    if (closed) return;
    const next = new Client({ connectionString: url });
    next.on('notification', () => handlers.onNotify());
    next.on('error', (error) => lost(next, error));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (closed) return void (await next.end().catch(() => undefined));
      client = next;
      failures = 0;
      handlers.onNotify();
    } catch (error) {
      lost(next, error);
    }
  };
  const lost = (which: Client, error: unknown) => {
    if (closed || (client !== null && client !== which)) return;
    client = null;
    void which.end().catch(() => undefined);
    handlers.onError(error);
    const delay = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)]!;
    failures += 1;
    retry ??= setTimeout(() => {
      retry = null;
      void connect();
    }, delay);
  };
  void connect();

  return {
    get listening() {
      return client !== null;
    },
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
