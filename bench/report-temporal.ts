// Tables for the Temporal cost per event (from histories), the burst scenario and the targets; rendered from a results JSON.
import type { BenchResults } from './results';
import type { ActionCounts, TemporalCost } from './temporal-cost';

const fmt = (value: number | null | undefined, unit = ''): string => (value === null || value === undefined ? '–' : `${value}${unit}`);

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const KINDS: Array<[keyof ActionCounts, string]> = [
  ['workflowsStarted', 'start'],
  ['childWorkflowsStarted', 'child'],
  ['activitiesScheduled', 'activity'],
  ['activityRetries', 'retry'],
  ['localActivityTasks', 'local'],
  ['signals', 'signal'],
  ['timers', 'timer'],
  ['searchAttributeUpserts', 'upsert'],
  ['updates', 'update'],
];

/** The non-zero action kinds per event, e.g. `start 1, child 2, activity 1`. */
function kindsPerEvent(cost: TemporalCost): string {
  if (cost.events <= 0) return '–';
  const parts = KINDS.filter(([key]) => cost.totals.actions[key] > 0).map(
    ([key, label]) => `${label} ${Math.round((cost.totals.actions[key] / cost.events) * 100) / 100}`,
  );
  return parts.join(', ') || 'none';
}

function costRow(name: string, cost: TemporalCost | null | undefined): string[] {
  if (!cost) return [name, '–', '–', '–', '–', '–', '–', '–', '–', 'not counted'];
  const types = Object.entries(cost.byType)
    .map(([type, n]) => `${n} ${type}`)
    .join(', ');
  const sample = cost.sampled ? `sample of ${cost.historiesRead} histories, scaled per type` : 'every history';
  return [
    name,
    `${cost.events} / ${cost.deliveries}`,
    String(cost.workflows),
    fmt(cost.perEvent?.actions),
    fmt(cost.perDelivery?.actions),
    fmt(cost.perEvent?.historyEvents),
    fmt(cost.perEvent?.workflowTasks),
    fmt(cost.perDelivery?.workflowTasks),
    kindsPerEvent(cost),
    `${types || 'no workflows'}; ${sample}${cost.stillRunning ? `; ${cost.stillRunning} still running` : ''}`,
  ];
}

export function renderTemporalCost(r: BenchResults): string {
  const s = r.scenarios;
  const rows: string[][] = [];
  for (const [name, m] of [
    ['1 Steady', s.steady],
    ['2 Fan-out 1 → 50', s.fanout],
    ['3 Hot destination', s.hot],
    ['4 Noisy neighbour', s.noisy],
    ['5 Ingest only', s.ingest],
    ['6 Burst', s.burst],
  ] as const) {
    if (m) rows.push(costRow(name, m.temporalCost));
  }
  for (const path of r.failurePaths ?? []) {
    rows.push(costRow(`Failure: ${path.name} (${path.description}${path.completed ? '' : '; incomplete'})`, path.temporalCost));
  }
  if (rows.length === 0) return '_No scenario ran._';
  return table(
    [
      'Scenario',
      'Events / deliveries',
      'Workflows',
      'Actions / event',
      'Actions / delivery',
      'History events / event',
      'WFT / event',
      'WFT / delivery',
      'Actions per event by kind',
      'Notes',
    ],
    rows,
  );
}

export function renderBurst(r: BenchResults): string | null {
  const b = r.scenarios.burst?.result;
  if (!b) return null;
  const drained = b.drainMs === null ? `not all within the bound (${Math.round(b.drainBoundMs / 1000)} s, or 30 s without progress)` : `${b.drainMs} ms`;
  return table(
    ['Burst figure', 'Value'],
    [
      ['Events posted (closed loop, unpaced)', `${b.events} to ${b.destinations} destinations, one each`],
      ['Accepted / failed', `${b.accepted} / ${b.failed}${b.firstError ? ` (first error: ${b.firstError})` : ''}`],
      ['Time to accept all (first request → last 202)', `${b.acceptMs} ms`],
      ['Accept rate', `${b.acceptedPerSecond} events/s`],
      ['Time until all delivered (first 202 → last receipt)', drained],
      ['Drain rate', `${b.deliveredPerSecond} deliveries/s`],
      ['Peak backlog (accepted − delivered)', String(b.peakBacklog)],
      ['Lost (accepted, never received)', String(b.lost)],
      ['Duplicates: repeated webhook-id / event received under two ids', `${b.duplicateRequests} / ${b.eventsReceivedTwice}`],
    ],
  );
}

export function renderTargets(r: BenchResults): string | null {
  if (!r.targets) return null;
  return table(
    ['Target', 'Bound', 'This run', 'Met', 'Notes'],
    r.targets.map((t) => [t.name, `${t.bound}${t.unit}`, fmt(t.value, t.unit), t.pass === null ? 'not measured' : t.pass ? 'pass' : '**fail**', t.note]),
  );
}
