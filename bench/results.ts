// The results file's shape, the machine description that goes with it, and writing it to bench/results/.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { HttpFloorResult } from './floors/http-floor';
import type { TemporalFloorResult } from './floors/temporal-floor';
import { round } from './latency';
import type { RowsWritten } from './pg-stats';
import type { FailurePathCost } from './failure-costs';
import type { PostgresCpu } from './pg-cpu';
import type { ProcessUsage } from './proc-stats';
import type { ProfileSummary } from './profile-summary';
import type { BurstResult } from './scenarios/burst';
import type { TemporalOutageResult } from './scenarios/temporal-outage';
import type { ThrottledResult } from './scenarios/throttled';
import type { OrderedResult } from './scenarios/ordered';
import type { PurgeResult } from './scenarios/purge';
import type { SoakResult } from './scenarios/soak';
import type { FanoutResult } from './scenarios/fanout';
import type { HotResult } from './scenarios/hot';
import type { IngestResult } from './scenarios/ingest';
import type { NoisyResult } from './scenarios/noisy';
import type { SteadyResult } from './scenarios/steady';
import type { Target } from './targets';
import type { TemporalCost } from './temporal-cost';
import { REPO_ROOT } from './bench-process';

export interface ProcessCost extends ProcessUsage {
  /** CPU seconds per 1,000 units (deliveries, or events for ingest-only); null without units. */
  cpuSecondsPer1000: number | null;
}

export interface Measured<T> {
  result: T;
  wallMs: number;
  units: number;
  unitName: 'deliveries' | 'events' | 'workflows' | 'requests';
  resources: Record<string, ProcessCost>;
  /** The whole PostgreSQL server's CPU in the window (shared with whatever else uses it); null where not visible. */
  postgresCpu?: PostgresCpu | null;
  /** Counted from the histories of the scenario's workspace after the window; null for the floors. */
  temporalCost?: TemporalCost | null;
  postgres: RowsWritten & { perUnit: number | null };
  /** Rows written to Temporal's own PostgreSQL database in the window (--cluster only). */
  temporalPostgres?: RowsWritten & { perUnit: number | null };
  /** 1-minute load average when the scenario started and ended: other work on the machine shows here. */
  load: { before: number; after: number };
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  platform: string;
  node: string;
  loadBefore: number[];
  loadAfter: number[];
}

export interface BenchResults {
  schemaVersion: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  mode: 'quick' | 'full';
  label: string | null;
  git: { commit: string; dirty: boolean };
  machine: MachineInfo;
  settings: {
    scenarioMs: number;
    concurrency: number;
    cpuProfile: boolean;
    overrides: Record<string, string>;
    workerMaxActivities: number;
    workerMaxWorkflowTasks: number;
    connectionsPerOrigin: number;
    databasePoolMax: number;
    retryScheduleMs: number[];
    /** Run against the multi-service cluster (--cluster); absent in older results. */
    cluster?: boolean;
    /** The API and the worker as one standalone process (--standalone), measured as `worker`; absent in older results. */
    standalone?: boolean;
  };
  floors: { temporal: Measured<TemporalFloorResult>; http: Measured<HttpFloorResult> };
  scenarios: {
    steady?: Measured<SteadyResult>;
    /** --cluster: steady with one worker, before the second starts (`steady` then runs with two). */
    steadyOneWorker?: Measured<SteadyResult>;
    fanout?: Measured<FanoutResult>;
    hot?: Measured<HotResult>;
    noisy?: Measured<NoisyResult>;
    ingest?: Measured<IngestResult>;
    burst?: Measured<BurstResult>;
    outage?: Measured<TemporalOutageResult>;
    throttled?: Measured<ThrottledResult>;
    ordered?: Measured<OrderedResult>;
    purge?: Measured<PurgeResult>;
    soak?: Measured<SoakResult>;
  };
  /** The failure paths (retry, paused and released, manual retry), once per run; absent in older results. */
  failurePaths?: FailurePathCost[];
  /** Each target with this run's figure and whether it was met; absent in older results. */
  targets?: Target[];
  /** Steady's sustained deliveries/s ÷ each floor's rate. */
  ratios: { engineEfficiency: number | null; httpEfficiency: number | null };
  /** Rows written over every delivery scenario, read after the worker and the API exited (exact). */
  postgresTotal: (RowsWritten & { deliveries: number; perDelivery: number | null }) | null;
  profiles: Record<string, ProfileSummary> | null;
  logDir: string;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

export function gitState(): { commit: string; dirty: boolean } {
  // Tracked files only: an untracked file (a results JSON, a symlinked node_modules) does not change what ran.
  return { commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown', dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '' };
}

export function machineInfo(loadBefore: number[]): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    platform: `${platform()} ${release()}`,
    node: process.version,
    loadBefore,
    loadAfter: loadavg().map((value) => round(value, 2)),
  };
}

export function currentLoad(): number[] {
  return loadavg().map((value) => round(value, 2));
}

export function perThousand(value: number, units: number): number | null {
  return units > 0 ? round((value / units) * 1000, 2) : null;
}

export async function writeResults(results: BenchResults): Promise<string> {
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const file = join(REPO_ROOT, 'bench', 'results', `${stamp}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
