// CPU of the PostgreSQL server the run's database lives on: its postmaster and every backend, from /proc (Linux only).
import { readdirSync, readFileSync } from 'node:fs';
import { round } from './latency';
import type { PostgresWriteCounter } from './pg-stats';
import { cpuSeconds } from './proc-stats';

export interface PostgresCpu {
  cpuSeconds: number;
  /** Server processes alive at the end of the window (postmaster, backends, background workers). */
  processes: number;
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 4 (ppid) follows the state, after the command name's closing ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && pid > 0 && parentOf(pid) === parent) children.push(pid);
  }
  return children;
}

/**
 * The postmaster's own CPU including its reaped children (cutime/cstime: backends that exited), plus every live
 * child's utime+stime. The difference between two readings is the server's CPU in between: a backend that exits
 * in the window moves from the live sum into the postmaster's reaped total with all of its lifetime CPU.
 */
function serverCpu(postmaster: number): { seconds: number; processes: number } | null {
  const own = cpuSeconds(postmaster);
  if (own === null) return null;
  const children = childrenOf(postmaster);
  return { seconds: children.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), own), processes: children.length + 1 };
}

/**
 * Measures windows of the server's CPU. The server is found through the bench's own connection: its backend's
 * parent is the postmaster. The bootstrap's server is shared, so the figure includes whatever else uses it
 * (tests run beside the bench); a server on another host or in another PID namespace is not measured (null).
 */
export class PostgresCpuMeter {
  private startSeconds: number | null = null;

  private constructor(readonly postmasterPid: number | null) {}

  static async find(pg: PostgresWriteCounter): Promise<PostgresCpuMeter> {
    const backend = await pg.count('SELECT pg_backend_pid() AS n', []);
    const postmaster = parentOf(backend);
    // A backend we cannot see (other host, other namespace) reads as no parent; a parent that is init is not a postmaster.
    return new PostgresCpuMeter(postmaster !== null && postmaster > 1 ? postmaster : null);
  }

  start(): void {
    this.startSeconds = this.postmasterPid === null ? null : (serverCpu(this.postmasterPid)?.seconds ?? null);
  }

  stop(): PostgresCpu | null {
    if (this.postmasterPid === null || this.startSeconds === null) return null;
    const now = serverCpu(this.postmasterPid);
    return now === null ? null : { cpuSeconds: round(now.seconds - this.startSeconds, 2), processes: now.processes };
  }
}
