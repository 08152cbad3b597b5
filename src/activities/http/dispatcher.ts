// The shared undici dispatcher for deliveries: keep-alive pools per origin, and no connection to forbidden addresses.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent } from 'undici';
import { ForbiddenAddressError, isForbiddenAddress } from '../../domain/url-safety';

export interface HttpClientOptions {
  connectionsPerOrigin: number;
  allowPrivate: boolean;
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

export function createHttpClient(options: HttpClientOptions): Agent {
  return new Agent({
    connections: options.connectionsPerOrigin,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    connect: options.allowPrivate ? {} : { lookup: guardedLookup as never },
  });
}
