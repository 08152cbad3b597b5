// Starts the `temporal` CLI dev server with Hookline's search attributes and waits until it answers.
import { applyNamespaceRetention } from '../orchestration/namespace-retention';
import { type ChildProcess, spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { cliTypeName, SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export interface TemporalServerOptions {
  cliPath: string;
  port: number;
  /** Omit for a headless server (tests, benchmark). */
  uiPort?: number;
  /** Persist to this SQLite file; omit for in-memory. */
  dbFile?: string;
  namespace?: string;
  logFile?: string;
  readyTimeoutMs?: number;
}

export interface TemporalServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

export class TemporalServerError extends Error {
  override name = 'TemporalServerError';
}

/*
 * SQLite's default (rollback journal, a sync per commit) caps a file-backed dev server at a few deliveries per second on
 * this disk. A write-ahead log synced only at checkpoints keeps every committed transaction through a crash of the
 * server's process (the OS holds the writes) and the file consistent through a power loss, which can lose only the
 * last moments' transactions: the same trade as PostgreSQL's synchronous_commit=off, right for a development server.
 */
export const DEV_SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

export function temporalServerArgs(options: TemporalServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  args.push('--namespace', options.namespace ?? 'default');
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) {
    args.push('--db-filename', options.dbFile);
    for (const pragma of DEV_SQLITE_PRAGMAS) args.push('--sqlite-pragma', pragma);
  }
  for (const attribute of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${attribute.name}=${cliTypeName(attribute)}`);
  return args;
}

/**
 * The server's environment: this process's, less the OpenTelemetry variables set for Hookline. The temporal CLI reads
 * them too and exits on values it does not support (`OTEL_TRACES_EXPORTER=console`: "unsupported OTEL exporter").
 */
export function temporalServerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('OTEL_')));
}

/** Resolves once the frontend answers a system-info call, or rejects with the server's own output. */
export async function waitForTemporal(address: string, timeoutMs: number, exited?: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const exit = exited?.();
    if (exit) throw new TemporalServerError(`temporal dev server exited: ${exit}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new TemporalServerError(`temporal dev server at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServer> {
  const { createWriteStream } = await import('node:fs');
  const child = spawn(options.cliPath, temporalServerArgs(options), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: temporalServerEnv(process.env),
    detached: true,
  });
  let output = '';
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : null;
  const capture = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
    log?.write(chunk);
  };
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);
  let exitDescription: string | null = null;
  child.on('exit', (code, signal) => {
    exitDescription = `code ${code ?? 'none'}, signal ${signal ?? 'none'}; output: ${output.trim().slice(-1_500)}`;
  });
  child.on('error', (error) => {
    exitDescription = `could not run ${options.cliPath}: ${error.message}`;
  });

  const address = `127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
    log?.end();
  };
  try {
    await waitForTemporal(address, options.readyTimeoutMs ?? 60_000, () => exitDescription);
    // The dev server's default (a day) is not a choice Hookline made: closed histories go after the documented time.
    await applyNamespaceRetention(address, options.namespace ?? 'default');
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    address,
    uiUrl: options.uiPort === undefined ? null : `http://127.0.0.1:${options.uiPort}`,
    process: child,
    stop,
  };
}
