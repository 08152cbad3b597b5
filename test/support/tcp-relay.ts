// A TCP relay a test can cut, stall and restore: to the API or a worker it looks like PostgreSQL or Temporal restarting, or hanging.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '../../src/dev/free-port';

export interface TcpRelay {
  port: number;
  /** Drops every connection and refuses new ones, as a stopped server does. */
  cut(): Promise<void>;
  /** Keeps every connection open and accepts new ones, but forwards nothing: calls hang, as on a frozen server. */
  stall(): void;
  /** Listens again on the same port, or forwards again after a stall. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

export async function relayTo(target: { host: string; port: number }): Promise<TcpRelay> {
  const pairs = new Set<Pair>();
  let server: Server | null = null;
  let stalled = false;
  const port = await freePort();
  const forward = ({ client, upstream }: Pair) => {
    client.pipe(upstream).pipe(client);
  };
  const hold = ({ client, upstream }: Pair) => {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  };
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const pair = { client, upstream: connect(target.port, target.host) };
        pairs.add(pair);
        if (stalled) pair.client.pause();
        else forward(pair);
        const drop = () => {
          pair.client.destroy();
          pair.upstream.destroy();
          pairs.delete(pair);
        };
        pair.client.on('error', drop).on('close', drop);
        pair.upstream.on('error', drop).on('close', drop);
      }).listen(port, '127.0.0.1', () => resolve());
    });
  const cut = async () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  };
  const stall = () => {
    stalled = true;
    for (const pair of pairs) hold(pair);
  };
  const restore = async () => {
    if (stalled) {
      stalled = false;
      for (const pair of pairs) forward(pair);
    }
    if (!server) await open();
  };
  await open();
  return { port, cut, stall, restore, close: cut };
}

/** The same, to a `host:port` address such as TEMPORAL_ADDRESS. */
export function relayToAddress(address: string): Promise<TcpRelay> {
  const colon = address.lastIndexOf(':');
  return relayTo({ host: address.slice(0, colon), port: Number(address.slice(colon + 1)) });
}
