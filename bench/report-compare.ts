// Before/after table of the headline figures of two results files, for reporting a tuning change.
import type { BenchResults } from './results';

interface Figure {
  name: string;
  pick: (r: BenchResults) => number | null | undefined;
  /** Whether a larger value is the better one; decides nothing, only labels the column for readers. */
  higherIsBetter: boolean;
}

const FIGURES: Figure[] = [
  { name: 'Temporal floor, workflows/s', pick: (r) => r.floors.temporal.result.completionsPerSecond, higherIsBetter: true },
  { name: 'HTTP floor, requests/s', pick: (r) => r.floors.http.result.requestsPerSecond, higherIsBetter: true },
  { name: 'Steady: max sustained events/s', pick: (r) => r.scenarios.steady?.result.maxSustainedRate, higherIsBetter: true },
  { name: 'Steady: deliveries/s at that rate', pick: (r) => r.scenarios.steady?.result.deliveriesPerSecond, higherIsBetter: true },
  { name: 'Steady at 50 %: p50 ms', pick: (r) => r.scenarios.steady?.result.at50.latency.p50Ms, higherIsBetter: false },
  { name: 'Steady at 50 %: p99 ms', pick: (r) => r.scenarios.steady?.result.at50.latency.p99Ms, higherIsBetter: false },
  { name: 'Steady at 90 %: p50 ms', pick: (r) => r.scenarios.steady?.result.at90.latency.p50Ms, higherIsBetter: false },
  { name: 'Steady at 90 %: p99 ms', pick: (r) => r.scenarios.steady?.result.at90.latency.p99Ms, higherIsBetter: false },
  { name: 'Fan-out: all 50 received p50 ms', pick: (r) => r.scenarios.fanout?.result.allReceived.p50Ms, higherIsBetter: false },
  { name: 'Fan-out: all 50 received p99 ms', pick: (r) => r.scenarios.fanout?.result.allReceived.p99Ms, higherIsBetter: false },
  { name: 'Hot destination: deliveries/s', pick: (r) => r.scenarios.hot?.result.phase.deliveredPerSecond, higherIsBetter: true },
  { name: 'Noisy: healthy p99 ÷ steady p99', pick: (r) => r.scenarios.noisy?.result.ratioToSteady.p99, higherIsBetter: false },
  { name: 'Ingest: events/s', pick: (r) => r.scenarios.ingest?.result.acceptedPerSecond, higherIsBetter: true },
  { name: 'Ingest: p99 ms', pick: (r) => r.scenarios.ingest?.result.latency.p99Ms, higherIsBetter: false },
  { name: 'Steady: worker CPU s per 1k deliveries', pick: (r) => r.scenarios.steady?.resources.worker?.cpuSecondsPer1000, higherIsBetter: false },
  { name: 'Steady: Temporal server CPU s per 1k', pick: (r) => r.scenarios.steady?.resources.temporal?.cpuSecondsPer1000, higherIsBetter: false },
  { name: 'Steady: worker peak RSS MB', pick: (r) => r.scenarios.steady?.resources.worker?.peakRssMb, higherIsBetter: false },
  { name: 'Engine efficiency', pick: (r) => r.ratios.engineEfficiency, higherIsBetter: true },
];

const cell = (value: number | null | undefined) => (value === null || value === undefined ? '–' : String(value));

function change(before: number | null | undefined, after: number | null | undefined): string {
  if (before === null || before === undefined || after === null || after === undefined || before === 0) return '–';
  const pct = Math.round(((after - before) / before) * 100);
  return `${pct > 0 ? '+' : ''}${pct} %`;
}

function describe(r: BenchResults): string {
  const overrides = Object.entries(r.settings.overrides)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${r.startedAt} at commit ${r.git.commit} (\`${r.command}\`${r.label ? `, “${r.label}”` : ''}${overrides ? `; ${overrides}` : ''})`;
}

export function renderComparison(before: BenchResults, after: BenchResults): string {
  const rows = FIGURES.map((figure) => {
    const a = figure.pick(before);
    const b = figure.pick(after);
    return `| ${figure.name} | ${cell(a)} | ${cell(b)} | ${change(a, b)} | ${figure.higherIsBetter ? 'higher' : 'lower'} |`;
  });
  return [
    `Before: ${describe(before)}; after: ${describe(after)}.`,
    '',
    '| Figure | Before | After | Change | Better is |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
