// The worker's /metrics endpoint, on a port of its own (HOOKLINE_METRICS_PORT): the worker serves no other HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAddressInUse, PortInUseError } from '../config/port-in-use';
import { exposition, PROMETHEUS_CONTENT_TYPE, type MetricsSource } from './exposition';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(options: { host: string; port: number; sources: MetricsSource[] }): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics is served here\n');
      return;
    }
    exposition(options.sources).then(
      (text) => res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(text),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(error as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(isAddressInUse(error) ? new PortInUseError(options.port, "the worker's /metrics", 'HOOKLINE_METRICS_PORT', '0 turns it off') : error),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
