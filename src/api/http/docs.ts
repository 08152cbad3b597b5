// Serves the generated OpenAPI document and /docs, the reference page Scalar renders from it, bundled, with no CDN.
import { dirname, join } from 'node:path';
import type { Express } from 'express';

/**
 * Scalar's self-contained browser build, served from node_modules so the page needs nothing from the internet.
 * The package does not export the file, so it is found beside the package's entry point (dist/index.js).
 */
const SCALAR_BUNDLE = join(dirname(require.resolve('@scalar/api-reference')), 'browser', 'standalone.js');

/*
 * Telemetry, the hosted fonts and Scalar's hosted services (AI agent, MCP, developer toolbar) are off, so the page
 * makes no request beyond this server; the system font stack stands in for the fonts Scalar would fetch.
 */
const SCALAR_CONFIGURATION = {
  url: '/openapi.json',
  telemetry: false,
  withDefaultFonts: false,
  hideClientButton: true,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
  persistAuth: false,
  metaData: { title: 'Hookline API' },
};

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Hookline API</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>:root { --scalar-font: system-ui, sans-serif; --scalar-font-code: ui-monospace, monospace; }</style>
</head>
<body>
  <noscript>The reference needs JavaScript; the machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</noscript>
  <div id="reference"></div>
  <script src="/docs/scalar.js"></script>
  <script>Scalar.createApiReference('#reference', ${JSON.stringify(SCALAR_CONFIGURATION)});</script>
</body>
</html>`;

export function mountDocs(app: Express, document: unknown): void {
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  app.get('/docs/scalar.js', (_req, res) => {
    res.sendFile(SCALAR_BUNDLE, { maxAge: '1h' });
  });
}
