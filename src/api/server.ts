// Starts the HTTP server for the API and closes it gracefully; shared by the API process and `npm run dev`.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type HooklineApp } from './http/app';
import type { ApiDeps } from './http/deps';
import { cachedLookups } from './http/lookup-cache';

export interface ApiServer {
  url: string;
  /** The Express app and its route table (the OpenAPI specs read the routes mounted). */
  app: HooklineApp;
  close(): Promise<void>;
}

export async function startApiServer(given: ApiDeps): Promise<ApiServer> {
  const lookups =
    given.lookups ??
    cachedLookups(given.db, given.config.database.url, (error) =>
      given.logger.warn({ err: error }, 'lost the LISTEN connection; key and schema lookups go to PostgreSQL'),
    );
  const deps: ApiDeps = { ...given, lookups };
  const hooklineApp = createApp(deps);
  const { app } = hooklineApp;
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(deps.config.port, deps.config.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const { port } = server.address() as AddressInfo;
  const host = deps.config.host === '0.0.0.0' ? '127.0.0.1' : deps.config.host;
  return {
    url: `http://${host}:${port}`,
    app: hooklineApp,
    close: async () => {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await lookups.close();
    },
  };
}
