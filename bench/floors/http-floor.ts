// The HTTP floor: runs bench/http-floor.main.ts as its own process against the receivers and reads back its figures.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchProcess, BenchProcessError } from '../bench-process';
import type { LatencySummary } from '../latency';
import { cpuSeconds } from '../proc-stats';

export interface HttpFloorResult {
  requests: number;
  failed: number;
  firstError: string | null;
  elapsedMs: number;
  requestsPerSecond: number;
  latency: LatencySummary;
  bodyBytes: number;
  /** CPU of the client process, the floor's equivalent of the worker's. */
  clientCpuSeconds: number | null;
}

export async function runHttpFloor(options: {
  origins: string[];
  concurrency: number;
  connectionsPerOrigin: number;
  durationMs: number;
  logDir: string;
}): Promise<HttpFloorResult> {
  const out = join(options.logDir, 'http-floor.json');
  const client = BenchProcess.spawn({
    name: 'http-floor',
    script: 'bench/http-floor.main.ts',
    logDir: options.logDir,
    env: {
      BENCH_HTTP_FLOOR_ORIGINS: options.origins.join(','),
      BENCH_CONCURRENCY: String(options.concurrency),
      BENCH_CONNECTIONS_PER_ORIGIN: String(options.connectionsPerOrigin),
      BENCH_DURATION_MS: String(options.durationMs),
      BENCH_HTTP_FLOOR_OUT: out,
    },
  });
  const pid = client.pid;
  // Read while the process is still there; /proc forgets it once it exits.
  let lastCpu: number | null = null;
  const sampler = setInterval(() => (lastCpu = cpuSeconds(pid) ?? lastCpu), 200);
  const limit = setTimeout(() => void client.stop(1_000), options.durationMs + 60_000);
  await client.exited;
  clearInterval(sampler);
  clearTimeout(limit);
  let figures: Omit<HttpFloorResult, 'clientCpuSeconds'>;
  try {
    figures = JSON.parse(await readFile(out, 'utf8')) as Omit<HttpFloorResult, 'clientCpuSeconds'>;
  } catch {
    throw new BenchProcessError(`the HTTP floor process wrote no results (log: ${client.logFile})`);
  }
  return { ...figures, clientCpuSeconds: lastCpu };
}
