// Runs Hookline's real worker entry point (src/worker/main.ts), or the standalone one, as a child process a test can SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { workflowBundlePath } from './test-env';

const REPO_ROOT = join(__dirname, '..', '..');

export interface WorkerProcess {
  pid: number;
  /** Everything the process printed, for failure messages. */
  output(): string;
  /** Kills without warning, as an OOM kill or a lost machine would; resolves once the process is gone. */
  crash(): Promise<void>;
  /** Asks for a graceful shutdown (SIGTERM), killing it if that takes too long. */
  stop(): Promise<void>;
}

// Settings the parent may carry (a developer's shell, the test runner's own variables) must not leak into the worker.
const CONFIG_VARIABLE = /^(HOOKLINE_|TEMPORAL_|DATABASE_)|^(PORT|HOST|LOG_LEVEL)$/;

function inheritedEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !CONFIG_VARIABLE.test(entry[0])),
  );
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `node --import tsx src/worker/main.ts` with exactly `env` (a test's environment from testEnv()),
 * using the run's prebuilt workflow bundle, and resolves once the worker logs that it is polling.
 */
export function startWorkerProcess(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<WorkerProcess> {
  return startEntryPoint('src/worker/main.ts', '"msg":"worker polling"', env, readyTimeoutMs);
}

/** The same for `src/standalone/main.ts`, the API and a worker in one process; `env` must carry its PORT. */
export function startStandaloneProcess(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<WorkerProcess> {
  return startEntryPoint('src/standalone/main.ts', '"msg":"API listening, worker polling"', env, readyTimeoutMs);
}

async function startEntryPoint(script: string, readyLine: string, env: Record<string, string>, readyTimeoutMs: number): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    // PATH and friends from the parent; the configuration only from `env`. Info level so readiness shows in the log.
    env: { ...inheritedEnvironment(), ...env, HOOKLINE_WORKFLOW_BUNDLE: workflowBundlePath(), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready after ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs);
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(readyLine)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    pid: child.pid!,
    output: () => output,
    crash: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killLater = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(killLater);
    },
  };
}
