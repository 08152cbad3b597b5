// The --cluster section of a report: one worker against two in the same run, and where each delivery's CPU and
// Temporal's PostgreSQL writes go on the multi-service server.
import type { BenchResults, Measured } from './results';
import type { SteadyResult } from './scenarios/steady';

const SERVICES = ['temporal-frontend', 'temporal-history', 'temporal-matching', 'temporal-worker'];

const fmt = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? '–' : value.toFixed(digits));
const perThousand = (seconds: number | undefined, units: number) => (seconds === undefined || units === 0 ? null : (seconds / units) * 1000);

function column(m: Measured<SteadyResult>): string[] {
  const ours = ['worker', 'worker2', 'api'].reduce((sum, name) => sum + (m.resources[name]?.cpuSeconds ?? 0), 0);
  return [
    fmt(m.result.deliveriesPerSecond, 1),
    ...SERVICES.map((name) => fmt(perThousand(m.resources[name]?.cpuSeconds, m.units))),
    fmt(perThousand(m.resources.temporal?.cpuSeconds, m.units)),
    fmt(perThousand(m.postgresCpu?.cpuSeconds, m.units)),
    fmt(perThousand(ours, m.units)),
    fmt(m.temporalPostgres?.perUnit, 1),
    fmt(m.postgres.perUnit, 1),
  ];
}

export function renderCluster(r: BenchResults): string | null {
  const one = r.scenarios.steadyOneWorker;
  const two = r.scenarios.steady;
  if (!r.settings.cluster || !one || !two) return null;
  const names = [
    'Steady deliveries/s',
    ...SERVICES.map((name) => `CPU s per 1k deliveries: ${name}`),
    'CPU s per 1k deliveries: Temporal, all four services',
    'CPU s per 1k deliveries: PostgreSQL (whole server)',
    'CPU s per 1k deliveries: Hookline (workers + API)',
    "PostgreSQL rows written per delivery, Temporal's database",
    "PostgreSQL rows written per delivery, Hookline's database",
  ];
  const [a, b] = [column(one), column(two)];
  const rows = names.map((name, i) => `| ${name} | ${a[i]} | ${b[i]} |`);
  return ['#### Cluster: one worker, then two (same run)', '', '| | 1 worker | 2 workers |', '| --- | ---: | ---: |', ...rows].join('\n');
}
