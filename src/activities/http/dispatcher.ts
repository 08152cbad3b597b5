// The shared undici dispatcher for deliveries: keep-alive pools per origin, no connection to forbidden addresses or to Hookline itself.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { networkInterfaces } from 'node:os';
import { Agent, buildConnector } from 'undici';
import { isOwnAddress, ownAddresses, plainAddress } from '../../domain/own-addresses';
import { ForbiddenAddressError, isForbiddenAddress } from '../../domain/url-safety';

export interface HttpClientOptions {
  connectionsPerOrigin: number;
  allowPrivate: boolean;
  /** The ports Hookline's own API listens on (PORT, HOOKLINE_PUBLIC_URL's): never a delivery's target on this machine. */
  selfPorts?: number[];
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Checking the resolved address at connect time (not only the name at write time) is what stops DNS
 * rebinding: the address that is checked is the address the socket connects to.
 */
function guardedLookup(hostname: string, options: { all?: boolean }, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses as LookupAddress[];
    const forbidden = list.find((entry) => isForbiddenAddress(entry.address));
    if (forbidden) return callback(new ForbiddenAddressError(forbidden.address), []);
    if (options.all) return callback(null, list);
    const first = list[0];
    if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

/**
 * A name that resolves to this machine, on the API's own port, is Hookline delivering to itself. The write-time check
 * sees it only if the name resolved here when the URL was saved (DNS may change since); this is the guard that counts,
 * on the socket's real peer, before a byte is sent.
 */
function refusingSelf(connect: buildConnector.connector, selfPorts: Set<number>): buildConnector.connector {
  const own = ownAddresses(networkInterfaces());
  return (options, callback) =>
    connect(options, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error('no socket'), null);
      const peer = plainAddress(socket.remoteAddress ?? '');
      if (selfPorts.has(socket.remotePort ?? -1) && isOwnAddress(peer, own)) {
        socket.destroy();
        return callback(new ForbiddenAddressError(`${peer}:${socket.remotePort}`, options.hostname, "Hookline's own API (a delivery loop)"), null);
      }
      callback(null, socket);
    });
}

export function createHttpClient(options: HttpClientOptions): Agent {
  const connect = buildConnector(options.allowPrivate ? {} : { lookup: guardedLookup as never });
  const selfPorts = new Set((options.selfPorts ?? []).filter((port) => port > 0));
  return new Agent({
    connections: options.connectionsPerOrigin,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    connect: selfPorts.size > 0 ? refusingSelf(connect, selfPorts) : connect,
  });
}
