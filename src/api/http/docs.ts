// Serves the generated OpenAPI document and a small docs page that renders it.
import type { Express } from 'express';

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Hookline API</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>
    body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d1d1f; }
    h1 { margin-bottom: 0; } .op { border-top: 1px solid #ddd; padding: .6rem 0; }
    .method { display: inline-block; min-width: 4.5rem; font-weight: 700; font-family: ui-monospace, monospace; }
    code { font-family: ui-monospace, monospace; } .summary { color: #555; } .tag { margin-top: 1.5rem; }
  </style>
</head>
<body>
  <h1>Hookline API</h1>
  <p>The machine-readable document is at <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI 3.1).</p>
  <div id="ops">Loading…</div>
  <script>
    fetch('/openapi.json').then((r) => r.json()).then((doc) => {
      const byTag = {};
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          const tag = (op.tags && op.tags[0]) || 'other';
          (byTag[tag] = byTag[tag] || []).push({ method, path, op });
        }
      }
      const root = document.getElementById('ops');
      root.textContent = '';
      for (const [tag, ops] of Object.entries(byTag)) {
        const h = document.createElement('h2'); h.className = 'tag'; h.textContent = tag; root.appendChild(h);
        for (const { method, path, op } of ops) {
          const div = document.createElement('div'); div.className = 'op';
          const m = document.createElement('span'); m.className = 'method'; m.textContent = method.toUpperCase();
          const p = document.createElement('code'); p.textContent = path;
          const s = document.createElement('div'); s.className = 'summary'; s.textContent = op.summary || '';
          div.append(m, p, s); root.appendChild(div);
        }
      }
    });
  </script>
</body>
</html>`;

export function mountDocs(app: Express, document: unknown): void {
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
}
