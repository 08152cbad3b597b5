// Serves the web console at /console and the customer portal at /console/portal, same origin as the API they call.
import type { Express } from 'express';
import type { Db } from '../db/connect';
import { portalSigningKey, verifyPortalToken } from '../domain/portal-token';
import { portalFrameAncestors } from '../store/workspaces';
import { consoleAssets } from './assets';
import { setConsoleHeaders } from './security-headers';

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Hookline</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/console/assets/console.css">
  <script type="module" src="/console/assets/console.js"></script>
</head>
<body>
  <div id="app"></div>
  <noscript>The Hookline console needs JavaScript.</noscript>
</body>
</html>
`;

/** Whom a portal page may be framed by: the workspace its token names, if the token is genuine (expiry is the API's to enforce). */
async function portalAncestors(db: Db, key: Uint8Array, token: unknown): Promise<string[]> {
  if (typeof token !== 'string' || token === '') return [];
  try {
    const { workspaceId } = await verifyPortalToken(token, key);
    return await portalFrameAncestors(db, workspaceId);
  } catch {
    return [];
  }
}

export function mountConsole(app: Express, deps: { db: Db; encryptionKey: Buffer }): void {
  const key = portalSigningKey(deps.encryptionKey);

  app.get(['/console', '/console/'], (_req, res) => {
    setConsoleHeaders(res, []);
    res.type('html').send(PAGE);
  });

  app.get('/console/portal', async (req, res, next) => {
    try {
      setConsoleHeaders(res, await portalAncestors(deps.db, key, req.query.token));
      res.type('html').send(PAGE);
    } catch (error) {
      next(error);
    }
  });

  app.get('/console/assets/:file', async (req, res, next) => {
    try {
      const asset = (await consoleAssets()).get(req.params.file);
      if (!asset) return next();
      setConsoleHeaders(res, []);
      res.setHeader('Content-Type', asset.contentType);
      res.send(Buffer.from(asset.body));
    } catch (error) {
      next(error);
    }
  });

  // The first thing a new user opens: the API's root leads to the console.
  app.get('/', (_req, res) => res.redirect(302, '/console'));
}
