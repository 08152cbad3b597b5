// Summarises a V8 .cpuprofile: self time by function and by package, inside a time window (the measured scenarios).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { round } from './latency';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  pct: number;
}

export interface ProfileSummary {
  file: string;
  windowMs: number;
  /** Time the process was on CPU in the window: everything but (idle). */
  busyMs: number;
  byPackage: ProfileEntry[];
  topFunctions: ProfileEntry[];
}

/** Where a frame's code comes from: a package, Node itself, Hookline's source, the workflow bundle, or V8's pseudo-frames. */
function packageOf(frame: CpuProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node: core';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.includes('/src/'))
    return `hookline ${url
      .slice(url.indexOf('/src/') + 1)
      .split('/')
      .slice(0, 2)
      .join('/')}`;
  // The SDK evaluates the bundle in a vm context: its frames carry the bundle's name or vm's evalmachine.
  if (url.includes('workflows.js') || url.startsWith('evalmachine')) return 'workflow bundle (vm)';
  return basename(url);
}

function functionLabel(frame: CpuProfileNode['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  const file = frame.url.includes('/node_modules/')
    ? frame.url.slice(frame.url.lastIndexOf('/node_modules/') + '/node_modules/'.length)
    : frame.url.includes('/src/')
      ? frame.url.slice(frame.url.indexOf('/src/') + 1)
      : basename(frame.url);
  return `${name} ${file}:${frame.lineNumber + 1}`;
}

function top(map: Map<string, number>, total: number, limit: number): ProfileEntry[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: round(us / 1000, 0), pct: total === 0 ? 0 : round((us / total) * 100, 1) }));
}

function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

/**
 * `fromMs`/`toMs` are offsets from `originUs` (default: the profile's own start) on V8's monotonic clock,
 * which all threads of a process share; samples outside them (start-up, shutdown) are left out.
 */
export function summarizeCpuProfile(file: string, fromMs = 0, toMs = Number.POSITIVE_INFINITY, limit = 15, originUs?: number): ProfileSummary {
  const profile = readProfile(file);
  const origin = originUs ?? profile.startTime;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let t = profile.startTime;
  let windowUs = 0;
  let idleUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const us = profile.timeDeltas[i + 1] ?? 0;
    const offsetMs = (t - origin) / 1000;
    if (offsetMs < fromMs || offsetMs > toMs) continue;
    const frame = frames.get(profile.samples[i]!);
    if (!frame) continue;
    windowUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const label = functionLabel(frame);
    byFunction.set(label, (byFunction.get(label) ?? 0) + us);
    const pkg = packageOf(frame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const busyUs = windowUs - idleUs;
  return {
    file: basename(file),
    windowMs: round(windowUs / 1000, 0),
    busyMs: round(busyUs / 1000, 0),
    byPackage: top(byPackage, busyUs, limit),
    topFunctions: top(byFunction, busyUs, limit),
  };
}

/**
 * Every profile `node --cpu-prof` wrote for one process: the main thread and worker threads (the Temporal
 * SDK runs workflow code in one). Default names are CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile;
 * thread 0 is the main thread, whose start is the origin the window is measured from.
 */
export function summarizeProcessProfiles(dir: string, fromMs: number, toMs: number): Record<string, ProfileSummary> {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort();
  const threadOf = (name: string) => Number(name.split('.').at(-3));
  const main = files.find((name) => threadOf(name) === 0) ?? files[0];
  if (!main) return {};
  const origin = readProfile(join(dir, main)).startTime;
  const summaries: Record<string, ProfileSummary> = {};
  for (const name of files) {
    const thread = threadOf(name);
    summaries[thread === 0 ? 'main thread' : `thread ${thread}`] = summarizeCpuProfile(join(dir, name), fromMs, toMs, 15, origin);
  }
  return summaries;
}

// `node --import tsx bench/profile-summary.ts <file.cpuprofile>` prints a summary of a whole profile.
if (require.main === module) {
  const [file] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile>');
    process.exit(64);
  }
  console.log(JSON.stringify(summarizeCpuProfile(file), null, 2));
}
