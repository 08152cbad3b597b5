// The undici dispatchers deliveries go out through: keep-alive pools per origin, no connection to forbidden addresses or to Hookline itself, optionally through the egress proxy.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { networkInterfaces } from 'node:os';
import { Agent, buildConnector } from 'undici';
import { isOwnAddress, ownAddresses, plainAddress } from '../../domain/own-addresses';
import { ForbiddenAddressError, isForbiddenAddress } from '../../domain/url-safety';
import { tunnelingConnector } from './egress-proxy';

export interface HttpClientOptions {
  connectionsPerOrigin: number;
  allowPrivate: boolean;
  /** The ports Hookline's own API listens on (PORT, HOOKLINE_PUBLIC_URL's): never a delivery's target on this machine. */
  selfPorts?: number[];
  /** HOOKLINE_EGRESS_PROXY: every connection is a CONNECT tunnel through it, to the address checked here. */
  egressProxy?: URL | null;
}

/** A destination's client certificate (mutual TLS), its key opened, and the CAs it trusts instead of the system's. */
export interface ClientTlsOptions {
  cert: string;
  key: string;
  ca: string | null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Every address of a name, or the refusal when one of them is forbidden (a name may not mix public and private). */
function resolveAll(hostname: string, allowPrivate: boolean, callback: (error: Error | null, addresses: LookupAddress[]) => void): void {
  dnsLookup(hostname, { all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const forbidden = allowPrivate ? undefined : addresses.find((entry) => isForbiddenAddress(entry.address));
    if (forbidden) return callback(new ForbiddenAddressError(forbidden.address), []);
    if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, addresses);
  });
}

/**
 * Checking the resolved address at connect time (not only the name at write time) is what stops DNS
 * rebinding: the address that is checked is the address the socket connects to.
 */
function guardedLookup(hostname: string, options: { all?: boolean }, callback: LookupCallback): void {
  resolveAll(hostname, false, (error, list) => {
    if (error) return callback(error, []);
    if (options.all) return callback(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
}

/** The self-delivery refusal: an address of this machine on the API's own port. */
function selfRefusal(selfPorts: Set<number>): (address: string, port: number, hostname: string) => ForbiddenAddressError | null {
  const own = ownAddresses(networkInterfaces());
  return (address, port, hostname) =>
    selfPorts.has(port) && isOwnAddress(address, own)
      ? new ForbiddenAddressError(`${plainAddress(address)}:${port}`, hostname, "Hookline's own API (a delivery loop)")
      : null;
}

/**
 * A name that resolves to this machine, on the API's own port, is Hookline delivering to itself. The write-time check
 * sees it only if the name resolved here when the URL was saved (DNS may change since); this is the guard that counts,
 * on the socket's real peer, before a byte is sent.
 */
function refusingSelf(connect: buildConnector.connector, selfPorts: Set<number>): buildConnector.connector {
  const refusal = selfRefusal(selfPorts);
  return (options, callback) =>
    connect(options, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error('no socket'), null);
      const refused = refusal(socket.remoteAddress ?? '', socket.remotePort ?? -1, options.hostname);
      if (refused) {
        socket.destroy();
        return callback(refused, null);
      }
      callback(null, socket);
    });
}

/** Through the proxy the socket's peer is the proxy: the address is checked, for both rules, before the CONNECT. */
function proxied(proxy: URL, options: HttpClientOptions, tls: buildConnector.connector, selfPorts: Set<number>): buildConnector.connector {
  const refusal = selfRefusal(selfPorts);
  return tunnelingConnector(
    proxy,
    (hostname, port) =>
      new Promise((resolve, reject) =>
        resolveAll(hostname, options.allowPrivate, (error, addresses) => {
          if (error) return reject(error);
          const first = addresses[0]!;
          const refused = refusal(first.address, port, hostname);
          return refused ? reject(refused) : resolve(first);
        }),
      ),
    tls,
  );
}

export function createHttpClient(options: HttpClientOptions, clientTls?: ClientTlsOptions): Agent {
  const tls = clientTls ? { cert: clientTls.cert, key: clientTls.key, ...(clientTls.ca !== null ? { ca: clientTls.ca } : {}) } : {};
  const selfPorts = new Set((options.selfPorts ?? []).filter((port) => port > 0));
  const direct = buildConnector(options.allowPrivate ? tls : { ...tls, lookup: guardedLookup as never });
  const connect = options.egressProxy
    ? proxied(options.egressProxy, options, buildConnector(tls), selfPorts)
    : selfPorts.size > 0
      ? refusingSelf(direct, selfPorts)
      : direct;
  return new Agent({
    connections: options.connectionsPerOrigin,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    connect,
  });
}
