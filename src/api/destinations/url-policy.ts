// Where this API can be reached, so that a destination pointing back at it (a delivery loop) is refused.
import type { Request } from 'express';
import type { Config } from '../../config/config';
import type { UrlPolicy } from '../../domain/destination-settings';

/** The configured public URL, the port on loopback, and the origin the caller just used (a proxy's host name, a test server's ephemeral port). */
export function urlPolicy(config: Config, req: Request): UrlPolicy {
  const origins = new Set<string>();
  if (config.publicUrl) origins.add(new URL(config.publicUrl).origin);
  for (const port of new Set([config.port, req.socket.localPort].filter((p): p is number => typeof p === 'number' && p > 0))) {
    for (const host of ['localhost', '127.0.0.1', '[::1]']) origins.add(`http://${host}:${port}`);
  }
  const host = req.get('host');
  if (host) origins.add(`${req.protocol}://${host}`);
  return { allowHttp: config.destinations.allowHttp, allowPrivate: config.destinations.allowPrivate, selfOrigins: [...origins] };
}
