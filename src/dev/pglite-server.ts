// The embedded default database for `npm run dev`: PGlite persisted under .data, served over the Postgres wire protocol.
import { mkdir } from 'node:fs/promises';

export interface PgliteServer {
  url: string;
  stop(): Promise<void>;
}

export async function startPgliteServer(options: { dataDir: string; port: number }): Promise<PgliteServer> {
  await mkdir(options.dataDir, { recursive: true });
  // Dynamic imports: both packages are ES modules and only dev mode needs them.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(options.dataDir);
  // Several clients may connect (the app's pool, a psql session); PGlite still runs one query at a time.
  const server = new PGLiteSocketServer({ db, port: options.port, host: '127.0.0.1', maxConnections: 8 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${options.port}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
