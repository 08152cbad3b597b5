// Runs Hookline's real worker entry point (src/worker/main.ts) as a child process, so a test can SIGKILL it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { workflowBundlePath } from './test-env';

const REPO_ROOT = join(__dirname, '..', '..');
const READY_LINE = '"msg":"worker polling"';

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
export async function startWorkerProcess(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    cwd: REPO_ROOT,
    // PATH and friends from the parent; the configuration only from `env`. Info level so readiness shows in the log.
    env: { ...inheritedEnvironment(), ...env, HOOKLINE_WORKFLOW_BUNDLE: workflowBundlePath(), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker process not polling after ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs);
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(READY_LINE)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker process exited (${signal ?? code}) before polling:\n${output}`));
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
