// One Node process the benchmark runs (API, worker, floor worker, HTTP floor): spawn with env, log to a file, stop gracefully.
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..');

export interface BenchProcessSpec {
  name: string;
  /** A TypeScript entry point, relative to the repository root; run with tsx like `npm run dev` does. */
  script: string;
  env: Record<string, string>;
  args?: string[];
  logDir: string;
  /** Where `node --cpu-prof` writes one profile per thread (default names); omit for no profile. */
  cpuProfileDir?: string;
}

export class BenchProcessError extends Error {
  override name = 'BenchProcessError';
}

export class BenchProcess {
  private exitDescription: string | null = null;
  readonly exited: Promise<void>;
  readonly logFile: string;
  /** Wall-clock spawn time: a CPU profile's offsets count from about here. */
  readonly spawnedAt = Date.now();

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    logFile: string,
  ) {
    this.logFile = logFile;
    this.exited = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.exitDescription = `exited with code ${code ?? 'none'}, signal ${signal ?? 'none'} (log: ${logFile})`;
        resolveExit();
      });
    });
  }

  static spawn(spec: BenchProcessSpec): BenchProcess {
    const logFile = join(spec.logDir, `${spec.name}.log`);
    const fd = openSync(logFile, 'a');
    const profile = spec.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', spec.cpuProfileDir] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', spec.script, ...(spec.args ?? [])], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    return new BenchProcess(spec.name, child, logFile);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new BenchProcessError(`${this.name} did not start (log: ${this.logFile})`);
    return this.child.pid;
  }

  /** Throws if the process died: a scenario must not go on measuring a crashed worker. */
  assertRunning(): void {
    if (this.exitDescription) throw new BenchProcessError(`${this.name} ${this.exitDescription}`);
  }

  /** SIGTERM (the processes shut down cleanly on it, which also writes a CPU profile), SIGKILL after the grace. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exitDescription) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
