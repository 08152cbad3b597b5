// Where this API can be reached, so that a destination pointing back at it (a delivery loop) is refused.
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import type { Request } from 'express';
import type { Config } from '../../config/config';
import type { UrlPolicy } from '../../domain/destination-settings';
import { isOwnAddress, ownAddresses } from '../../domain/own-addresses';
import { originPort, parseIpLiteral } from '../../domain/url-safety';

/** A write waits this long for a name to resolve; past it the name is judged by its spelling alone, and the connect-time guard remains. */
const RESOLVE_TIMEOUT_MS = 1_000;

/** The addresses a name resolves to, or none when it does not resolve (in time): an unresolvable name is no loop yet. */
async function resolveName(hostname: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), RESOLVE_TIMEOUT_MS);
    timer.unref();
  });
  const resolved = lookup(hostname, { all: true }).then(
    (entries) => entries.map((entry) => entry.address),
    () => [],
  );
  try {
    return await Promise.race([resolved, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The URL's origin when its host is a name (an IP literal is judged by the domain as written) that resolves to this
 * machine, on one of the API's ports: `http://<this host's name>:<PORT>` is the API by another name.
 */
async function originNamingThisMachine(raw: string, ports: ReadonlySet<number>): Promise<string | null> {
  if (!URL.canParse(raw)) return null;
  const url = new URL(raw);
  const port = originPort(url);
  if (port === null || !ports.has(port) || url.hostname === '' || parseIpLiteral(url.hostname) !== null) return null;
  const own = ownAddresses(networkInterfaces());
  const addresses = await resolveName(url.hostname);
  return addresses.some((address) => isOwnAddress(address, own)) ? url.origin : null;
}

/**
 * The configured public URL, the port on loopback, the origin the caller just used (a proxy's host name, a test
 * server's ephemeral port), and the URL being saved when its host name resolves to this machine on the API's port.
 */
export async function urlPolicy(config: Config, req: Request, url: string): Promise<UrlPolicy> {
  const origins = new Set<string>();
  if (config.publicUrl) origins.add(new URL(config.publicUrl).origin);
  const ports = new Set([config.port, req.socket.localPort].filter((p): p is number => typeof p === 'number' && p > 0));
  for (const port of ports) {
    for (const host of ['localhost', '127.0.0.1', '[::1]']) origins.add(`http://${host}:${port}`);
  }
  const host = req.get('host');
  if (host) origins.add(`${req.protocol}://${host}`);
  const named = await originNamingThisMachine(url, ports);
  if (named) origins.add(named);
  return { allowHttp: config.destinations.allowHttp, allowPrivate: config.destinations.allowPrivate, selfOrigins: [...origins] };
}
