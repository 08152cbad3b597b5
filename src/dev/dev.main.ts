// `npm run dev`: Temporal dev server, PGlite (unless DATABASE_URL), migrations, then the standalone API and worker.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { boot } from '../boot/boot';
import { loadConfig } from '../config/config';
import { devAppEnv, DEV_RECEIVER_SECRET, loadDevSettings } from '../config/dev-settings';
import { PortInUseError } from '../config/port-in-use';
import { HOOKLINE_VERSION } from '../version';
import { installTemporalRuntime } from '../worker/runtime';
import { startStandalone } from '../standalone/standalone';
import { ensureDevWorkspace } from './dev-workspace';
import { freePort, portInUse } from './free-port';
import { startPgliteServer } from './pglite-server';
import { removePidFile, stopStaleProcess, writePidFile } from './stale-process';
import { startTemporalServer } from './temporal-server';

type Stopper = () => Promise<void>;

class DevStartError extends Error {
  override name = 'DevStartError';
}

/** One key per checkout, kept under .data, so secrets sealed in the dev database stay readable across restarts. */
async function devEncryptionKey(dataDir: string): Promise<string> {
  const file = resolve(dataDir, 'dev-encryption-key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const key = randomBytes(32).toString('base64');
    await writeFile(file, key, { mode: 0o600 });
    return key;
  }
}

async function requireFreePort(port: number, what: string, variable: string): Promise<void> {
  if (await portInUse(port)) throw new PortInUseError(port, what, variable);
}

function example(apiUrl: string, apiKey: string): string {
  const destination = JSON.stringify({
    name: 'Local receiver',
    url: 'http://127.0.0.1:4000/webhooks',
    event_types: ['contact.*'],
    secret: DEV_RECEIVER_SECRET,
  });
  const event = JSON.stringify({ type: 'contact.created', subject: 'c_42', data: { id: 'c_42', email: 'ada@example.com', first_name: 'Ada' } });
  return [
    'Try it: run `npm run receiver` in a second terminal, then in a third:',
    `  export HOOKLINE_KEY=${apiKey}`,
    `  curl -s ${apiUrl}/v1/destinations -H "Authorization: Bearer $HOOKLINE_KEY" -H 'Content-Type: application/json' \\`,
    `    -d '${destination}'`,
    `  curl -s ${apiUrl}/v1/events -H "Authorization: Bearer $HOOKLINE_KEY" -H 'Content-Type: application/json' \\`,
    `    -d '${event}'`,
  ].join('\n');
}

async function main(): Promise<void> {
  const settings = loadDevSettings();
  const dataDir = resolve(settings.HOOKLINE_DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const stoppers: Stopper[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping Hookline…');
    for (const stop of stoppers.reverse()) {
      await stop().catch((error: unknown) => console.error(`while stopping: ${String(error)}`));
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    let temporalAddress = settings.TEMPORAL_ADDRESS;
    let temporalUi: string | null = null;
    if (!temporalAddress) {
      const cliPath = settings.TEMPORAL_CLI_PATH;
      if (!cliPath) throw new DevStartError('TEMPORAL_CLI_PATH is not set; start Hookline with `npm run dev`, which installs the temporal CLI.');
      const pidFile = resolve(dataDir, 'temporal.pid');
      if (await stopStaleProcess(pidFile, 'start-dev')) console.log('stopped a Temporal dev server left over from an earlier run');
      await requireFreePort(settings.TEMPORAL_PORT, 'Temporal gRPC', 'TEMPORAL_PORT');
      await requireFreePort(settings.TEMPORAL_UI_PORT, 'Temporal UI', 'TEMPORAL_UI_PORT');
      console.log('starting the Temporal dev server…');
      const temporal = await startTemporalServer({
        cliPath,
        port: settings.TEMPORAL_PORT,
        uiPort: settings.TEMPORAL_UI_PORT,
        // A server keeps the type each search attribute was first registered with; this file's name changes with those types.
        dbFile: resolve(dataDir, 'temporal-2.db'),
        logFile: resolve(dataDir, 'temporal.log'),
      });
      await writePidFile(pidFile, temporal.process.pid!);
      stoppers.push(async () => {
        await temporal.stop();
        await removePidFile(pidFile);
      });
      temporalAddress = temporal.address;
      temporalUi = temporal.uiUrl;
    }

    let databaseUrl = settings.DATABASE_URL;
    if (!databaseUrl) {
      await requireFreePort(settings.HOOKLINE_PGLITE_PORT, 'embedded PostgreSQL (PGlite)', 'HOOKLINE_PGLITE_PORT');
      const pglite = await startPgliteServer({ dataDir: resolve(dataDir, 'pglite'), port: settings.HOOKLINE_PGLITE_PORT });
      stoppers.push(pglite.stop);
      databaseUrl = pglite.url;
    }

    const config = loadConfig(
      devAppEnv({
        databaseUrl,
        temporalAddress,
        encryptionKey: await devEncryptionKey(dataDir),
        pooled: settings.DATABASE_URL !== undefined,
      }),
    );
    const sdkMetricsPort = await freePort();
    const { logger, tracing, db } = await boot({
      service: 'hookline',
      config,
      // One readable line per request and per delivery attempt (README: "Watch a delivery arrive").
      pretty: true,
      // The SDK's routine INFO lines would drown the delivery lines a newcomer is watching for.
      beforeDatabase: ({ logger }) => installTemporalRuntime({ logger: logger.child({}, { level: 'warn' }), sdkMetricsPort, shutdownSignals: [] }),
    });
    stoppers.push(tracing.shutdown);
    stoppers.push(() => db.destroy());
    await requireFreePort(config.port, 'Hookline API', 'PORT');
    const api = await startStandalone({ config, db, logger, tracing, sdkMetricsPort });
    stoppers.push(api.stop);

    const workspace = await ensureDevWorkspace({ apiUrl: api.url, adminToken: config.adminToken, file: resolve(dataDir, 'dev-workspace.json') });
    console.log(
      [
        '',
        `Hookline ${HOOKLINE_VERSION} is running (Ctrl-C stops everything).`,
        // The key rides in the fragment, which never reaches a server; the console moves it to the tab's storage.
        `  Console      ${api.url}/console/#key=${workspace.apiKey}`,
        `  API          ${api.url}   (docs: ${api.url}/docs, metrics: ${api.url}/metrics)`,
        `  Temporal UI  ${temporalUi ?? `(external Temporal at ${config.temporal.address})`}`,
        `  Database     ${settings.DATABASE_URL ? 'DATABASE_URL' : `embedded PGlite at ${databaseUrl} (data in ${resolve(dataDir, 'pglite')})`}`,
        `  Workspace    ${workspace.workspaceId}   API key ${workspace.apiKey}`,
        '',
        example(api.url, workspace.apiKey),
        '',
      ].join('\n'),
    );
    await api.running;
  } catch (error) {
    console.error(`[hookline] ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}

void main();
