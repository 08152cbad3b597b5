// Deliveries through an egress proxy (HOOKLINE_EGRESS_PROXY): an HTTP CONNECT tunnel to the address Hookline resolved and checked, never a name the proxy would resolve on its own.
import type { Socket } from 'node:net';
import { Pool, type buildConnector } from 'undici';

/** Where a tunnel goes: the checked address, not the name, so the SSRF decision and the connection agree. */
export type ResolveTarget = (hostname: string, port: number) => Promise<{ address: string; family: number }>;

export class EgressProxyError extends Error {
  override name = 'EgressProxyError';
  readonly code = 'EGRESS_PROXY_REFUSED';
  constructor(readonly statusCode: number) {
    super(`the egress proxy refused the tunnel (HTTP ${statusCode})`);
  }
}

/** `http://user:pass@proxy:3128`: the credentials go as Proxy-Authorization, never in the CONNECT line. */
function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '' && proxy.password === '') return {};
  const pair = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
}

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

/**
 * The connector an undici Agent uses when deliveries leave through a proxy. The receiver's TLS (and a client
 * certificate) runs inside the tunnel, end to end: the proxy sees an address and a port, never the request.
 */
export function tunnelingConnector(proxy: URL, resolve: ResolveTarget, tls: buildConnector.connector): buildConnector.connector {
  const tunnels = new Pool(proxy.origin);
  const authorization = proxyAuthorization(proxy);
  return (options, callback) => {
    const open = async () => {
      const port = Number(options.port) || defaultPort(options.protocol);
      const { address, family } = await resolve(options.hostname.replace(/^\[|\]$/g, ''), port);
      const target = `${family === 6 ? `[${address}]` : address}:${port}`;
      const { socket, statusCode } = await tunnels.connect({ path: target, headers: { host: target, ...authorization } });
      if (statusCode !== 200) {
        socket.on('error', () => undefined).destroy();
        throw new EgressProxyError(statusCode);
      }
      // undici hands back the proxy connection's own socket, upgraded: a net.Socket typed as a stream.
      return socket as Socket;
    };
    open().then(
      (socket) => {
        if (options.protocol !== 'https:') return callback(null, socket);
        // The name stays the receiver's own for SNI and certificate checks, though the tunnel went to its address.
        tls({ ...options, httpSocket: socket }, callback);
      },
      (error: Error) => callback(error, null),
    );
  };
}
