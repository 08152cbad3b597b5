// Derived cost tables for the README: where a delivery's CPU goes, and what it costs in Temporal-floor workflows.
import { round } from './latency';
import type { BenchResults, Measured } from './results';

const PROCESSES: Array<[string, string]> = [
  ['temporal', 'Temporal dev server'],
  ['worker', 'Hookline worker'],
  ['api', 'Hookline API'],
  ['bench', 'bench process (generator + receivers)'],
];

function msPerUnit(m: Measured<unknown>, process: string): number | null {
  const usage = m.resources[process];
  return usage && m.units > 0 ? round((usage.cpuSeconds * 1000) / m.units, 1) : null;
}

/** CPU milliseconds per delivery by process in one scenario, their shares, and the rate that CPU alone allows. */
export function renderCpuBreakdown(r: BenchResults): string {
  const rows: string[] = [];
  for (const [name, m] of [
    ['1 Steady', r.scenarios.steady],
    ['2 Fan-out', r.scenarios.fanout],
    ['3 Hot destination', r.scenarios.hot],
    ['6 Burst', r.scenarios.burst],
  ] as const) {
    if (!m) continue;
    const per = PROCESSES.map(([process]) => msPerUnit(m, process));
    // The whole PostgreSQL server's CPU (older results have none): shares are of the total with it.
    const postgres = m.postgresCpu && m.units > 0 ? round((m.postgresCpu.cpuSeconds * 1000) / m.units, 1) : null;
    const without = per.reduce<number>((sum, value) => sum + (value ?? 0), 0);
    const total = without + (postgres ?? 0);
    const cells = [...per, postgres].map((value) => (value === null ? '–' : `${value} ms (${Math.round((value / total) * 100)} %)`));
    const ceiling = total > 0 ? round((r.machine.cpus * 1000) / total, 1) : null;
    rows.push(`| ${name} | ${cells.join(' | ')} | ${round(without, 1)} ms | ${postgres === null ? '–' : `${round(total, 1)} ms`} | ${ceiling ?? '–'} /s |`);
  }
  return [
    `| Scenario | ${PROCESSES.map(([, label]) => label).join(' | ')} | PostgreSQL server | Total without PostgreSQL | Total with PostgreSQL | ${r.machine.cpus} cores ÷ total |`,
    `| --- | ${PROCESSES.map(() => '---').join(' | ')} | --- | --- | --- | --- |`,
    ...rows,
  ].join('\n');
}

/** A delivery's Temporal-side cost in units of the floor workflow (one workflow, one no-op activity). */
export function renderFloorEquivalents(r: BenchResults): string {
  const floor = r.floors.temporal;
  const rows: string[] = [];
  for (const [name, m] of [
    ['1 Steady (1 destination per event)', r.scenarios.steady],
    ['2 Fan-out (50 per event)', r.scenarios.fanout],
  ] as const) {
    if (!m) continue;
    const cells = [
      ['temporal', 'temporal'],
      ['worker', 'floorWorker'],
    ].map(([ours, theirs]) => {
      const a = msPerUnit(m, ours!);
      const b = msPerUnit(floor, theirs!);
      return a === null || b === null || b === 0 ? '–' : `${round(a / b, 2)} × (${a} ms vs ${b} ms)`;
    });
    rows.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  return ['| Per delivery, in floor workflows | Temporal server CPU | Worker CPU (vs the floor worker) |', '| --- | --- | --- |', ...rows].join('\n');
}
