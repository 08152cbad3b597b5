// CPU seconds and peak RSS of the processes the benchmark spawned, read from /proc (Linux only).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { round } from './latency';

export interface ProcessUsage {
  cpuSeconds: number;
  /** Peak resident set during the measured window (VmHWM after a reset, or the highest sampled VmRSS). */
  peakRssMb: number;
}

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

const TICKS = clockTicksPerSecond();

/** utime + stime (+ reaped children) in seconds; the command name may hold spaces, so parse after its ')'. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
    return ticks / TICKS;
  } catch {
    return null;
  }
}

function statusKb(pid: number, key: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Resets VmHWM to the current RSS (clear_refs "5"); false where the kernel or permissions refuse. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Measures a window: CPU used between start and stop, and the memory peak inside it. */
export class ResourceMeter {
  private readonly startCpu = new Map<string, number>();
  private readonly sampledPeakKb = new Map<string, number>();
  private readonly peakWasReset = new Map<string, boolean>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pids: Record<string, number>) {}

  start(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      this.peakWasReset.set(name, resetPeak(pid));
      this.startCpu.set(name, cpuSeconds(pid) ?? 0);
      this.sampledPeakKb.set(name, statusKb(pid, 'VmRSS') ?? 0);
    }
    // Sampling backs up VmHWM where clear_refs is not allowed.
    this.timer = setInterval(() => this.sample(), 250);
    this.timer.unref();
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      const rss = statusKb(pid, 'VmRSS') ?? 0;
      if (rss > (this.sampledPeakKb.get(name) ?? 0)) this.sampledPeakKb.set(name, rss);
    }
  }

  stop(): Record<string, ProcessUsage> {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const usage: Record<string, ProcessUsage> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      // Without a reset VmHWM is the process's lifetime peak, which would not belong to this window.
      const hwm = this.peakWasReset.get(name) ? (statusKb(pid, 'VmHWM') ?? 0) : 0;
      const peakKb = Math.max(hwm, this.sampledPeakKb.get(name) ?? 0);
      usage[name] = {
        cpuSeconds: round((cpuSeconds(pid) ?? 0) - (this.startCpu.get(name) ?? 0), 2),
        peakRssMb: round(peakKb / 1024, 1),
      };
    }
    return usage;
  }
}
