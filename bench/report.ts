// Renders a results JSON as markdown tables (the console summary and bench/README.md); no figure is typed by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import type { LatencySummary } from './latency';
import type { ProfileSummary } from './profile-summary';
import { renderComparison } from './report-compare';
import { renderCpuBreakdown, renderFloorEquivalents } from './report-costs';
import { renderBurst, renderTargets, renderTemporalCost } from './report-temporal';
import { renderCluster } from './report-cluster';
import type { BenchResults, Measured } from './results';

const marker = (section: string, edge: 'begin' | 'end') => `<!-- bench:${section}:${edge} -->`;

const fmt = (value: number | null | undefined, unit = ''): string => (value === null || value === undefined ? '–' : `${value}${unit}`);
const ms = (value: number | null | undefined) => fmt(value, ' ms');

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function latencyCells(latency: LatencySummary | null | undefined): string[] {
  return [ms(latency?.p50Ms), ms(latency?.p95Ms), ms(latency?.p99Ms)];
}

function floorsTable(r: BenchResults): string {
  const { temporal, http } = r.floors;
  return table(
    ['Floor (same run, same concurrency)', 'Rate', 'p50', 'p95', 'p99'],
    [
      ['Temporal: workflow + 1 no-op activity', `${temporal.result.completionsPerSecond} workflows/s`, ...latencyCells(temporal.result.latency)],
      ['HTTP: undici POST → receiver', `${http.result.requestsPerSecond} requests/s`, ...latencyCells(http.result.latency)],
    ],
  );
}

function scenariosTable(r: BenchResults): string {
  const { steady, fanout, hot, noisy, ingest, burst, outage, throttled, ordered, purge, soak } = r.scenarios;
  const rows: string[][] = [];
  if (steady) {
    const s = steady.result;
    rows.push([
      '1 Steady: highest sustained rate',
      `${fmt(s.maxSustainedRate)} events/s → ${s.deliveriesPerSecond} deliveries/s`,
      '',
      '',
      '',
      `${s.destinations} destinations, ${s.steps.length} rate steps${s.oauth ? `; ${s.oauth.destinations} of them OAuth: ${s.oauth.tokenRequests} token requests in ${s.oauth.scenarioSeconds} s (tokens live ${s.oauth.tokenLifetimeSeconds} s)` : ''}`,
    ]);
    for (const [name, phase] of [
      ['50 %', s.at50],
      ['90 %', s.at90],
    ] as const) {
      rows.push([
        `1 Steady at ${name} (${fmt(phase.targetRate)} events/s)`,
        `${phase.deliveredPerSecond} deliveries/s`,
        ...latencyCells(phase.latency),
        `accepted→received; ${phase.undelivered} undelivered`,
      ]);
    }
  }
  if (fanout) {
    const f = fanout.result;
    rows.push([
      '2 Fan-out 1 → 50: all 50 received',
      `${f.deliveriesPerSecond} deliveries/s`,
      ...latencyCells(f.allReceived),
      `${f.events} events; first of 50 p50 ${ms(f.firstReceived.p50Ms)}; ${f.timedOut} timed out`,
    ]);
  }
  if (hot) {
    const p = hot.result.phase;
    const lag = hot.result.healthLag;
    const lagText = lag.measured
      ? `health workflow: ${lag.signals} signals in ${lag.runs} run(s), lag p50 ${ms(lag.lag?.p50Ms)}, p99 ${ms(lag.lag?.p99Ms)}, grows: ${lag.grows === null ? '–' : lag.grows ? 'yes' : 'no'}`
      : `health lag not measured: ${lag.reason}`;
    const failing =
      hot.result.failedDeliveries === undefined
        ? ''
        : `${hot.result.failedDeliveries} events answered 503 (every ${Math.round(1 / hot.result.failingShare)}th); `;
    const vs = hot.result.ratioToSteady;
    rows.push([
      `3 Hot destination (${fmt(p.targetRate)} events/s)`,
      `${p.deliveredPerSecond} deliveries/s`,
      ...latencyCells(p.latency),
      `${failing}sustained: ${p.sustained ? 'yes' : 'no'} (backlog ${p.backlogSlopePerSecond}/s); successes × steady at 90 %: p50 ${fmt(vs?.p50)}, p99 ${fmt(vs?.p99)}; ${lagText}`,
    ]);
  }
  if (noisy) {
    const n = noisy.result;
    rows.push([
      `4 Noisy neighbour, healthy half (${fmt(n.phase.targetRate)} events/s)`,
      `${n.phase.deliveredPerSecond} deliveries/s`,
      ...latencyCells(n.phase.latency),
      `× steady at 50 %: p50 ${fmt(n.ratioToSteady.p50)}, p95 ${fmt(n.ratioToSteady.p95)}, p99 ${fmt(n.ratioToSteady.p99)}; ${n.failingAttempts} 503 attempts`,
    ]);
  }
  if (ingest) {
    const i = ingest.result;
    rows.push([
      '5 Ingest only: POST /v1/events → 202',
      `${i.acceptedPerSecond} events/s`,
      ...latencyCells(i.latency),
      `${i.accepted} accepted, ${i.failed} failed; ${i.storedAfterMs === null ? `only ${i.stored} planned within the drain bound` : `all planned ${i.storedAfterMs} ms after the load`}`,
    ]);
    if (i.at50) {
      rows.push([
        `5 Ingest at 50 % (${i.at50.targetRate} events/s)`,
        `${i.at50.acceptedPerSecond} events/s`,
        ...latencyCells(i.at50.latency),
        `${i.at50.accepted} accepted, ${i.at50.failed} failed; after the catch-up`,
      ]);
    }
  }
  if (burst) {
    const b = burst.result;
    rows.push([
      `6 Burst: ${b.events} events, then drained`,
      `${b.acceptedPerSecond} accepted/s → ${b.deliveredPerSecond} deliveries/s`,
      '',
      '',
      '',
      `all accepted in ${b.acceptMs} ms, delivered in ${b.drainMs === null ? '– (bound reached)' : `${b.drainMs} ms`}; peak backlog ${b.peakBacklog}; ${b.lost} lost`,
    ]);
  }
  if (outage) {
    const o = outage.result;
    rows.push([
      `7 Temporal outage of ${Math.round(o.outageMs / 1000)} s under steady load (${o.targetRate} events/s)`,
      `${o.accepted} accepted`,
      ...latencyCells(o.latencyDuringOutage),
      `request → 202 during the outage (${o.acceptedDuringOutage} accepted then); ${o.refused503} × 503, ${o.refusedOther} other refusals; ${o.lost} lost, ${o.eventsReceivedTwice} received twice; ${o.caughtUpMs === null ? 'not all delivered within the bound' : `all delivered ${o.caughtUpMs} ms after Temporal was back`}`,
    ]);
  }
  if (throttled) {
    const t = throttled.result;
    const actions = throttled.temporalCost?.perEvent?.actions;
    rows.push([
      `8 throttled receiver: ${t.queuedEvents} events drained by a destination limited to ${t.limit.requests}/${t.limit.perSeconds} s; latency: healthy destinations (one in its workspace, one in another) at ${t.healthy.targetRate ?? '–'} events/s beside one limited to 1/s holding ${t.queuedAtHealthyStart ?? '–'} of ${t.isolationQueued ?? '–'} queued`,
      `${t.averagePerSecond} requests/s at the limit`,
      ...latencyCells(t.healthy.latency),
      `latency is the healthy destinations' (× their baseline just before: p50 ${t.healthyRatioToBaseline?.p50 ?? '–'}, p99 ${t.healthyRatioToBaseline?.p99 ?? '–'}; × steady: p50 ${t.healthyRatioToSteady.p50 ?? '–'}, p99 ${t.healthyRatioToSteady.p99 ?? '–'}); the throttled receiver saw at most ${t.peakPerSecond} in any second; drained in ${t.drainMs === null ? '– (bound reached)' : `${t.drainMs} ms`}; ${t.lost} lost, ${t.receivedTwice} twice; ${actions ?? '–'} actions per throttled event`,
    ]);
  }
  if (ordered) {
    const o = ordered.result;
    const cost = ordered.temporalCost?.perEvent;
    rows.push([
      `9 ordered lanes: ${o.subjects} subjects × ${o.eventsPerSubject} events to an ordered destination failing the first try of every ${o.failedFirstEvery}th`,
      `${o.receivedPerSecond} events/s received`,
      '–',
      '–',
      '–',
      `${o.inversions} inversions; drained in ${o.drainMs === null ? '– (bound reached)' : `${o.drainMs} ms`}; ${o.lost} lost, ${o.receivedTwice} twice; ${cost?.actions ?? '–'} actions and ${cost?.historyEvents ?? '–'} history events per event`,
    ]);
  }
  if (purge) {
    const p = purge.result;
    const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
    rows.push([
      `10 purge under load: ${p.expiredRows.total} expired rows (${p.expiredRows.events} events, ${p.expiredRows.deliveries} deliveries, ${p.expiredRows.attempts} attempts) purged beside half the sustained rate`,
      `${p.underPurge.deliveredPerSecond} deliveries/s`,
      ...latencyCells(p.underPurge.latency),
      `× the same load just before: delivery p99 ${p.deliveryRatio.p99 ?? '–'}, ingest p99 ${p.ingestRatio.p99 ?? '–'}; purged in ${p.purgeMs === null ? '– (bound reached)' : `${p.purgeMs} ms`} (${p.rowsPerSecond ?? '–'} rows/s); database ${mb(p.databaseBytes.before)} → ${mb(p.databaseBytes.withBacklog)} with the backlog → ${mb(p.databaseBytes.afterPurge)} after`,
    ]);
  }
  if (soak) {
    const s = soak.result;
    const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
    const sizes = s.samples
      .filter((_, i) => i % 10 === 0 || i === s.samples.length - 1)
      .map((x) => `${Math.round(x.atSeconds / 60)} min ${mb(x.databaseBytes)} (${x.events} events)`);
    rows.push([
      `11 retention soak: ${s.minutes} min, payloads ${s.retention.payloadSeconds} s, records ${s.retention.recordSeconds} s`,
      `${s.phase.deliveredPerSecond} deliveries/s`,
      ...latencyCells(s.phase.latency),
      `database ${sizes.join(', ')}; last third ÷ second third ${s.lastThirdGrowth ?? '–'}`,
    ]);
  }
  return table(['Scenario', 'Throughput', 'p50', 'p95', 'p99', 'Notes'], rows);
}

function stepsTable(r: BenchResults): string {
  const steps = r.scenarios.steady?.result.steps ?? [];
  return table(
    ['Target events/s', 'Accepted/s', 'Delivered/s', 'Backlog growth /s', 'p50', 'p99', 'Sustained'],
    steps.map((s) => [
      fmt(s.targetRate),
      String(s.acceptedPerSecond),
      String(s.deliveredPerSecond),
      String(s.backlogSlopePerSecond),
      ms(s.latency.p50Ms),
      ms(s.latency.p99Ms),
      s.sustained ? 'yes' : 'no',
    ]),
  );
}

function costTable(r: BenchResults): string {
  const entries: Array<[string, Measured<unknown> | undefined]> = [
    ['Temporal floor (worker = floor worker)', r.floors.temporal],
    ['1 Steady', r.scenarios.steady],
    ['2 Fan-out', r.scenarios.fanout],
    ['3 Hot destination', r.scenarios.hot],
    ['4 Noisy neighbour', r.scenarios.noisy],
    ['5 Ingest only', r.scenarios.ingest],
    ['6 Burst', r.scenarios.burst],
    ['7 Temporal outage', r.scenarios.outage],
    ['8 Throttled receiver', r.scenarios.throttled],
    ['9 Ordered lanes', r.scenarios.ordered],
    ['10 Purge under load', r.scenarios.purge],
    ['11 Retention soak', r.scenarios.soak],
  ];
  // The Temporal floor's work is done by the floor worker, so its row shows that process in the worker column.
  const cell = (m: Measured<unknown>, name: string) => {
    const usage = m === r.floors.temporal && name === 'worker' ? m.resources.floorWorker : m.resources[name];
    return usage ? `${fmt(usage.cpuSecondsPer1000)} s / ${usage.peakRssMb} MB` : '–';
  };
  return table(
    [
      'Scenario',
      'Units',
      'Worker CPU/1k, peak RSS',
      'API CPU/1k, peak RSS',
      'Temporal server CPU/1k',
      'Bench process CPU/1k',
      'PG rows per unit',
      'Load avg (1 min) before → after',
    ],
    entries
      .filter((entry): entry is [string, Measured<unknown>] => entry[1] !== undefined)
      .map(([name, m]) => [
        name,
        `${m.units} ${m.unitName}`,
        cell(m, 'worker'),
        cell(m, 'api'),
        `${fmt(m.resources.temporal?.cpuSecondsPer1000)} s`,
        `${fmt(m.resources.bench?.cpuSecondsPer1000)} s`,
        fmt(m.postgres.perUnit),
        m.load ? `${m.load.before} → ${m.load.after}` : '–',
      ]),
  );
}

function postgresTable(r: BenchResults): string {
  const total = r.postgresTotal;
  if (!total) return '_No delivery scenario ran._';
  const per = (n: number) => (total.deliveries > 0 ? String(Math.round((n / total.deliveries) * 100) / 100) : '–');
  const rows = Object.entries(total.byTable).map(([table, w]) => [
    table,
    String(w.inserted),
    String(w.updated),
    String(w.deleted),
    per(w.inserted + w.updated + w.deleted),
  ]);
  rows.push(['**all tables**', '', '', '', `**${fmt(total.perDelivery)}**`]);
  return `${total.total} rows written for ${total.deliveries} successful deliveries (all scenarios, counted after the processes exited):\n\n${table(['Table', 'Inserted', 'Updated', 'Deleted', 'Per delivery'], rows)}`;
}

function profileTables(name: string, p: ProfileSummary): string {
  const rows = (entries: ProfileSummary['byPackage']) => entries.map((e) => [e.name.replace(/\|/g, '\\|'), `${e.ms} ms`, `${e.pct} %`]);
  return [
    `**${name}** (${p.file}): ${p.busyMs} ms on CPU in a ${p.windowMs} ms window`,
    '',
    table(['Package', 'Self time', 'Share of busy'], rows(p.byPackage.slice(0, 10))),
    '',
    table(['Function (self time)', 'Self time', 'Share of busy'], rows(p.topFunctions.slice(0, 15))),
  ].join('\n');
}

export function renderReport(r: BenchResults, profileRun?: BenchResults, brief = false): string {
  const s = r.settings;
  const seconds = Math.round((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000);
  const parts = [
    `Run \`${r.command}\` started ${r.startedAt} and took ${seconds} s after the bootstrap (${r.mode}, ${s.scenarioMs / 1000} s per scenario, concurrency ${s.concurrency}${r.label ? `, “${r.label}”` : ''}) at commit ${r.git.commit}${r.git.dirty ? ' (with uncommitted changes in the tree)' : ''}.`,
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, ${r.machine.platform}, Node ${r.machine.node}; load average before ${r.machine.loadBefore.join(' / ')}, after ${r.machine.loadAfter.join(' / ')}.`,
    `Settings: worker ${s.workerMaxActivities} activity / ${s.workerMaxWorkflowTasks} workflow-task slots, ${s.connectionsPerOrigin} connections per origin, database pool ${s.databasePoolMax}, retry schedule ${s.retryScheduleMs.join(', ')} ms${Object.keys(s.overrides).length ? `, overrides ${JSON.stringify(s.overrides)}` : ''}${s.standalone ? '; the API and the worker as one standalone process (eager starts), its CPU in the worker column' : ''}.`,
    '',
    '#### Floors',
    floorsTable(r),
    '',
    `Engine efficiency (steady deliveries/s ÷ Temporal floor): **${fmt(r.ratios.engineEfficiency)}**; HTTP efficiency (÷ HTTP floor): **${fmt(r.ratios.httpEfficiency)}**.`,
    '',
    '#### Scenarios',
    scenariosTable(r),
    '',
  ];
  const targets = renderTargets(r);
  if (targets) parts.push('#### Targets', targets, '');
  const cluster = renderCluster(r);
  if (cluster) parts.push(cluster, '');
  if (brief) return parts.join('\n');
  parts.push(
    '#### Steady: rate steps',
    stepsTable(r),
    '',
    '#### Cost per 1,000 units (CPU seconds; peak RSS in the scenario)',
    costTable(r),
    '',
    "#### Where a delivery's CPU goes (CPU ms per delivery by process)",
    renderCpuBreakdown(r),
    '',
    '#### A delivery in Temporal-floor workflows',
    renderFloorEquivalents(r),
    '',
    '#### Temporal cost per event, counted from the histories (Temporal Cloud actions)',
    renderTemporalCost(r),
    '',
    '#### PostgreSQL rows written',
    postgresTable(r),
  );
  const burstTable = renderBurst(r);
  if (burstTable) parts.push('', '#### Burst', burstTable);
  const profiles = profileRun?.profiles ?? r.profiles;
  if (profiles) {
    const source = profileRun ?? r;
    parts.push(
      '',
      `#### CPU profiles (run started ${source.startedAt} at commit ${source.git.commit}, \`${source.command}\`; samples inside the scenarios only)`,
    );
    for (const [name, summary] of Object.entries(profiles)) parts.push('', profileTables(name, summary));
  }
  return parts.join('\n');
}

class ReportUsageError extends Error {
  override name = 'ReportUsageError';
}

/** Replaces the text between `<!-- bench:<section>:begin -->` and its end marker; the rest of the file is prose. */
function writeSection(target: string, section: string, markdown: string): void {
  const text = readFileSync(target, 'utf8');
  const begin = text.indexOf(marker(section, 'begin'));
  const end = text.indexOf(marker(section, 'end'));
  if (begin < 0 || end < begin) throw new ReportUsageError(`${target} has no ${marker(section, 'begin')} … ${marker(section, 'end')} section`);
  writeFileSync(target, `${text.slice(0, begin + marker(section, 'begin').length)}\n${markdown}\n${text.slice(end)}`);
}

const USAGE = `usage: node --import tsx bench/report.ts <results.json> [--brief | --targets] [--profile <run.json>] [--compare <before.json>] [--write <README.md> --section <name>]
  prints the tables (--brief: only the run, floors and scenarios; --targets: only the targets) (or, with --compare, a before → after table) or writes them between the section's markers`;

// node --import tsx bench/report.ts bench/published/full-run.json --profile bench/published/profile-run.json --write bench/README.md --section full-run
if (require.main === module) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 2)[1] : undefined;
  };
  const profileFile = flag('--profile');
  const beforeFile = flag('--compare');
  const brief = args.includes('--brief');
  if (brief) args.splice(args.indexOf('--brief'), 1);
  const targetsOnly = args.includes('--targets');
  if (targetsOnly) args.splice(args.indexOf('--targets'), 1);
  const target = flag('--write');
  const section = flag('--section');
  const [file] = args;
  if (!file || (target && !section)) throw new ReportUsageError(USAGE);
  const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as BenchResults;
  const markdown = beforeFile
    ? renderComparison(read(beforeFile), read(file))
    : targetsOnly
      ? (renderTargets(read(file)) ?? '_No target was measured in this run._')
      : renderReport(read(file), profileFile ? read(profileFile) : undefined, brief);
  if (target && section) writeSection(target, section, markdown);
  else console.log(markdown);
}
