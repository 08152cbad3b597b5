// Builds the console's browser bundle with esbuild, in memory, once per process: no build output to commit or to forget.
import { resolve } from 'node:path';
import { build } from 'esbuild';

export interface ConsoleAsset {
  contentType: string;
  body: Uint8Array;
}

// The same path from src/console (tsx, jest) and from dist/console (the image copies src/console/app beside dist).
const APP_DIR = resolve(__dirname, '..', '..', 'src', 'console', 'app');

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

async function buildAssets(): Promise<Map<string, ConsoleAsset>> {
  const result = await build({
    entryPoints: { console: resolve(APP_DIR, 'main.tsx') },
    bundle: true,
    write: false,
    outdir: '/console-assets',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // The app's own tsconfig is for type checking; esbuild gets its settings here so nothing else can change them.
    tsconfigRaw: {},
    logLevel: 'silent',
    legalComments: 'none',
  });
  const assets = new Map<string, ConsoleAsset>();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
    if (type) assets.set(name, { contentType: type, body: file.contents });
  }
  return assets;
}

let built: Promise<Map<string, ConsoleAsset>> | null = null;

/** The first request builds (a fraction of a second); a failed build is retried on the next request. */
export function consoleAssets(): Promise<Map<string, ConsoleAsset>> {
  built ??= buildAssets().catch((error: unknown) => {
    built = null;
    throw error;
  });
  return built;
}
