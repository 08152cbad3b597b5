// The benchmark's command-line flags: scenario length, concurrency, profiling and config overrides for the processes.
export interface BenchOptions {
  mode: 'quick' | 'full';
  /** Length of each scenario and floor; steady uses it for the rate search and half of it per latency phase. */
  scenarioMs: number;
  /** In-flight requests of every closed-loop generator, the floors included. */
  concurrency: number;
  /** Write V8 CPU profiles of the worker and the API (`node --cpu-prof`) and summarise them into the results. */
  cpuProfile: boolean;
  /** Extra environment for the API and worker processes, e.g. HOOKLINE_WORKER_MAX_ACTIVITIES=400. */
  env: Record<string, string>;
  /** Only these scenarios (all when empty); floors always run (`--only floors` runs nothing else). */
  only: string[];
  label: string | null;
  /** Events the burst scenario posts (5,000; 500 in quick mode, which must stay a smoke test). */
  burstEvents: number;
  /** Temporal on a SQLite file with `npm run dev`'s settings, instead of in memory: what a newcomer's first load test meets. */
  devDatabase: boolean;
  /** Against the multi-service Temporal of `npm run cluster`, with a second worker: steady with 1 worker, then all with 2. */
  cluster: boolean;
  /** The API and the worker as one process (src/standalone/main.ts, as `npm run dev` runs them): event starts are eager. */
  standalone: boolean;
}

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

export const USAGE = `usage: npm run bench -- [--quick] [--duration <seconds>] [--concurrency <n>] [--cpu-prof]
                      [--set KEY=VALUE ...] [--only steady,fanout,hot,noisy,ingest,burst,outage,throttled,ordered,purge,soak,failures|floors]
                      [--burst-events <n>] [--label <text>] [--cluster] [--dev-db] [--standalone]
  --quick         ~5 s per scenario (the CI mode); default 30 s
  --duration      seconds per scenario (overrides --quick's length)
  --concurrency   in-flight requests of every load generator and floor (default 32)
  --cpu-prof      profile the worker and the API with node --cpu-prof; the summary goes into the results JSON
  --set KEY=VALUE environment override for the API and worker processes (repeatable), e.g. DATABASE_POOL_MAX=20
  --only          run only these scenarios (the floors always run; \`floors\` alone runs just them;
                  the failure paths run with any scenario, \`failures\` alone runs just them)
  --burst-events  events the burst scenario posts (default 5000; 500 with --quick)
  --label         a note stored in the results (e.g. "after: pool 20")
  --cluster       against the multi-service Temporal of npm run cluster (PostgreSQL, 8 shards): steady with one
                  worker, then every scenario with two
  --dev-db        Temporal persists to a SQLite file as under \`npm run dev\` (its pragmas included), not in memory
  --standalone    the API and the worker in one process (src/standalone/main.ts), whose event starts are eager`;

const ONLY_NAMES = ['steady', 'fanout', 'hot', 'noisy', 'ingest', 'burst', 'outage', 'throttled', 'ordered', 'purge', 'soak', 'failures', 'floors'];

function positiveNumber(flag: string, value: string | undefined): number {
  const parsed = Number(value);
  if (value === undefined || !Number.isFinite(parsed) || parsed <= 0) throw new BenchUsageError(`${flag} needs a positive number`);
  return parsed;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  let quick = false;
  let seconds: number | null = null;
  let concurrency = 32;
  let cpuProfile = false;
  let cluster = false;
  let label: string | null = null;
  let burstEvents: number | null = null;
  let devDatabase = false;
  let standalone = false;
  const env: Record<string, string> = {};
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const next = () => argv[++i];
    switch (flag) {
      case '--quick':
        quick = true;
        break;
      case '--duration':
        seconds = positiveNumber(flag, next());
        break;
      case '--concurrency':
        concurrency = Math.round(positiveNumber(flag, next()));
        break;
      case '--cluster':
        cluster = true;
        break;
      case '--cpu-prof':
        cpuProfile = true;
        break;
      case '--set': {
        const pair = next() ?? '';
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new BenchUsageError('--set needs KEY=VALUE');
        env[pair.slice(0, eq)] = pair.slice(eq + 1);
        break;
      }
      case '--only': {
        const names = (next() ?? '').split(',').filter(Boolean);
        const unknown = names.filter((name) => !ONLY_NAMES.includes(name));
        if (names.length === 0 || unknown.length > 0) throw new BenchUsageError(`--only takes ${ONLY_NAMES.join(',')}; not ${unknown.join(',') || 'nothing'}`);
        only.push(...names);
        break;
      }
      case '--burst-events':
        burstEvents = Math.round(positiveNumber(flag, next()));
        break;
      case '--dev-db':
        devDatabase = true;
        break;
      case '--standalone':
        standalone = true;
        break;
      case '--label':
        label = next() ?? null;
        break;
      case '--help':
      case '-h':
        throw new BenchUsageError(USAGE);
      default:
        throw new BenchUsageError(`unknown flag ${flag}\n${USAGE}`);
    }
  }
  const scenarioMs = Math.round((seconds ?? (quick ? 5 : 30)) * 1000);
  return {
    mode: quick ? 'quick' : 'full',
    scenarioMs,
    concurrency,
    cpuProfile,
    env,
    only,
    label,
    burstEvents: burstEvents ?? (quick ? 500 : 5_000),
    devDatabase,
    cluster,
    standalone,
  };
}
