// The Temporal a benchmark run measures: the dev server (one process), or with --cluster the multi-service server
// that scripts/cluster.sh runs on PostgreSQL, each service measured as its own process.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../src/dev/free-port';
import { withDatabase } from '../src/dev/scratch-database';
import { startTemporalServer } from '../src/dev/temporal-server';

export interface BenchTemporal {
  address: string;
  /** The server's processes by name: `temporal` for the dev server, `temporal-history` and so on for the cluster. */
  pids: Record<string, number>;
  /** Temporal's own PostgreSQL database (the cluster's), whose writes per delivery the run counts; null for SQLite. */
  databaseUrl: string | null;
  stop(): Promise<void>;
}

const CLUSTER_SCRIPT = join(__dirname, '..', 'scripts', 'cluster.sh');
// The cluster's own Hookline processes: the run starts its own API and workers, on a database and task queue of its own.
const CLUSTER_HOOKLINE = ['worker-1', 'worker-2', 'api-1', 'api-2'];

const cluster = (...args: string[]) => execFileSync('bash', [CLUSTER_SCRIPT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

export async function startDevTemporal(cliPath: string, logFile: string, dbFile?: string): Promise<BenchTemporal> {
  const server = await startTemporalServer({ cliPath, port: await freePort(), readyTimeoutMs: 90_000, logFile, ...(dbFile ? { dbFile } : {}) });
  return { address: server.address, pids: { temporal: server.process.pid! }, databaseUrl: null, stop: () => server.stop() };
}

export async function startClusterTemporal(adminUrl: string): Promise<BenchTemporal> {
  cluster('up');
  for (const name of CLUSTER_HOOKLINE) cluster('stop', name);
  const env = Object.fromEntries(
    cluster('env')
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const pids: Record<string, number> = {};
  for (const entry of env.HOOKLINE_CLUSTER_PIDS!.trim().split(' ')) {
    const [name, pid] = entry.split('=');
    // The server's four services; the UI, when it runs, serves no delivery.
    if (name?.startsWith('temporal-') && name !== 'temporal-ui' && pid) pids[name] = Number(pid);
  }
  return {
    address: env.HOOKLINE_CLUSTER_TEMPORAL_ADDRESS!,
    pids,
    databaseUrl: withDatabase(adminUrl, 'temporal_cluster'),
    stop: async () => void cluster('down'),
  };
}

/** Adds `temporal`, the sum of the cluster's services, so every table and target reads one Temporal figure. */
export function withTemporalTotal<T extends { cpuSeconds: number; peakRssMb: number }>(usage: Record<string, T>): Record<string, T> {
  const services = Object.entries(usage).filter(([name]) => name.startsWith('temporal-'));
  if (services.length === 0) return usage;
  const total = services.reduce((sum, [, u]) => ({ ...sum, cpuSeconds: sum.cpuSeconds + u.cpuSeconds, peakRssMb: sum.peakRssMb + u.peakRssMb }), {
    ...services[0]![1],
    cpuSeconds: 0,
    peakRssMb: 0,
  });
  return { ...usage, temporal: { ...total, cpuSeconds: Math.round(total.cpuSeconds * 100) / 100 } };
}
