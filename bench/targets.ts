// The performance targets, each with its figure from the same run and whether it was met; a missing figure is not a pass.
import { renewAtMs } from '../src/domain/oauth';
import { round } from './latency';
import type { BenchResults, Measured } from './results';
import type { TemporalCost } from './temporal-cost';

export interface Target {
  name: string;
  /** `≤ 3`, `≥ 1.5`: the comparison and the bound, for the table. */
  bound: string;
  value: number | null;
  unit: string;
  /** null when the figure was not measured in this run (the scenario did not run, or the value is missing). */
  pass: boolean | null;
  note: string;
}

// Every process of the pipeline on this machine; the floor worker idles during scenarios but is on the same cores.
const PROCESSES = ['temporal', 'worker', 'worker2', 'api', 'bench', 'floorWorker'];

/** How long a token is used before Hookline renews it (a tenth of its life early, at most a minute), in seconds. */
function tokenUseSeconds(lifetimeSeconds: number): number {
  return renewAtMs(0, lifetimeSeconds) / 1000;
}

/**
 * Token requests per destination, per token the scenario's length needed (its seconds ÷ a token's used life, rounded
 * up): 1 when every worker shared each token and nobody fetched one early or twice.
 */
function oauthPerLifetime(oauth: { destinations: number; tokenRequests: number; tokenLifetimeSeconds: number; scenarioSeconds: number } | undefined) {
  if (!oauth || oauth.destinations === 0) return null;
  const lifetimes = Math.max(1, Math.ceil(oauth.scenarioSeconds / tokenUseSeconds(oauth.tokenLifetimeSeconds)));
  return round(oauth.tokenRequests / oauth.destinations / lifetimes, 2);
}

function target(name: string, op: '≤' | '≥', limit: number, value: number | null | undefined, unit: string, note = ''): Target {
  const v = value === undefined || value === null || !Number.isFinite(value) ? null : value;
  return { name, bound: `${op} ${limit}`, value: v, unit, pass: v === null ? null : op === '≤' ? v <= limit : v >= limit, note };
}

/** All processes' CPU per delivery in a scenario, PostgreSQL's server included; null without PostgreSQL's figure. */
export function cpuMsPerDelivery(m: Measured<unknown> | undefined): number | null {
  if (!m || m.units <= 0 || !m.postgresCpu) return null;
  const seconds = PROCESSES.reduce((sum, name) => sum + (m.resources[name]?.cpuSeconds ?? 0), m.postgresCpu.cpuSeconds);
  return round((seconds * 1000) / m.units, 1);
}

function costNote(cost: TemporalCost | null | undefined): string {
  if (!cost) return 'not counted';
  return `${cost.workflows} workflows${cost.sampled ? `, ${cost.historiesRead} histories sampled` : ''}`;
}

export function evaluateTargets(r: BenchResults): Target[] {
  const { steady, fanout, ingest, outage, burst, throttled, ordered, purge, soak } = r.scenarios;
  const steadyCost = steady?.temporalCost;
  const fanoutCost = fanout?.temporalCost;
  const fanoutPerEvent = fanoutCost?.perEvent;
  // Fan-out's event is 50 deliveries by design, so its bound is per delivery; the per-event figure is in the note.
  const fanoutNote = (what: 'actions' | 'workflowTasks') =>
    `per delivery; per event ${fanoutPerEvent?.[what] ?? '–'} (${fanoutCost?.deliveries ?? '–'} deliveries of ${fanoutCost?.events ?? '–'} events); ${costNote(fanoutCost)}`;
  const sustainedDelivery = steady?.result.deliveriesPerSecond;
  const ingestRate = ingest?.result.acceptedPerSecond;
  return [
    target('Temporal actions per event, steady (success path)', '≤', 3, steadyCost?.perEvent?.actions, '', costNote(steadyCost)),
    target('Temporal actions per delivery, fan-out 1 → 50 (success path)', '≤', 3, fanoutCost?.perDelivery?.actions, '', fanoutNote('actions')),
    target('Workflow tasks per event, steady', '≤', 2, steadyCost?.perEvent?.workflowTasks, '', costNote(steadyCost)),
    target('Workflow tasks per delivery, fan-out 1 → 50', '≤', 2, fanoutCost?.perDelivery?.workflowTasks, '', fanoutNote('workflowTasks')),
    target('Engine efficiency (steady deliveries/s ÷ Temporal floor)', '≥', 1.5, r.ratios.engineEfficiency, '×'),
    target('Fan-out 1 → 50: all 50 received, p99', '≤', 150, fanout?.result.allReceived.p99Ms, ' ms', `${fanout?.result.events ?? '–'} events`),
    target('Steady at 50 %: accepted → received p50', '≤', 40, steady?.result.at50.latency.p50Ms, ' ms'),
    target('Steady at 50 %: accepted → received p99', '≤', 120, steady?.result.at50.latency.p99Ms, ' ms'),
    target(
      'OAuth destinations (steady): token requests per destination per token lifetime',
      '≤',
      1,
      oauthPerLifetime(steady?.result.oauth),
      '',
      steady?.result.oauth
        ? `${steady.result.oauth.tokenRequests} requests by ${steady.result.oauth.destinations} destinations in ${steady.result.oauth.scenarioSeconds} s; tokens live ${steady.result.oauth.tokenLifetimeSeconds} s, renewed after ${tokenUseSeconds(steady.result.oauth.tokenLifetimeSeconds)} s`
        : '',
    ),
    target(
      'CPU per delivery, all processes with PostgreSQL (steady)',
      '≤',
      10,
      cpuMsPerDelivery(steady),
      ' ms',
      steady?.postgresCpu ? 'PostgreSQL: the whole shared server' : 'PostgreSQL CPU not measured',
    ),
    target(
      'Ingest at 50 % of the highest ingest rate: request → 202 p99',
      '≤',
      60,
      ingest?.result.at50?.latency.p99Ms,
      ' ms',
      ingest?.result.at50 ? `at ${ingest.result.at50.targetRate} events/s` : '',
    ),
    target(
      'Highest ingest rate ÷ highest sustained delivery rate',
      '≥',
      10,
      ingestRate !== undefined && sustainedDelivery ? round(ingestRate / sustainedDelivery, 2) : null,
      '×',
      `${ingestRate ?? '–'} events/s ÷ ${sustainedDelivery ?? '–'} deliveries/s`,
    ),
    target(
      'Burst: time to accept every event',
      '≤',
      10_000,
      burst?.result.acceptMs,
      ' ms',
      burst ? `${burst.result.accepted} of ${burst.result.events} accepted, ${burst.result.lost} lost` : '',
    ),
    target(
      'Temporal outage under steady load: refusals (503 and any other)',
      '≤',
      0,
      outage ? outage.result.refused503 + outage.result.refusedOther : null,
      '',
      outage ? `${Math.round(outage.result.outageMs / 1000)} s outage; ${outage.result.acceptedDuringOutage} accepted during it` : '',
    ),
    target('Temporal outage under steady load: accepted events lost', '≤', 0, outage?.result.lost, '', outage ? `${outage.result.accepted} accepted` : ''),
    target(
      'Throttled receiver: most requests in any second ÷ (limit + burst)',
      '≤',
      1,
      throttled
        ? round(throttled.result.peakPerSecond / ((throttled.result.limit.requests + throttled.result.limit.burst) / throttled.result.limit.perSeconds), 2)
        : null,
      '',
      throttled
        ? `${throttled.result.peakPerSecond} seen; limit ${throttled.result.limit.requests}/${throttled.result.limit.perSeconds} s, burst ${throttled.result.limit.burst}`
        : '',
    ),
    target('Throttled receiver: queued events lost', '≤', 0, throttled?.result.lost, '', throttled ? `${throttled.result.queuedEvents} queued` : ''),
    target(
      "Throttled receiver: healthy destinations' p99 beside the queue ÷ their baseline just before",
      '≤',
      1.5,
      throttled?.result.healthyRatioToBaseline?.p99,
      '',
      throttled
        ? `${throttled.result.healthy.latency.p99Ms ?? '–'} ms p99 (baseline ${throttled.result.baseline?.latency.p99Ms ?? '–'} ms; × steady ${throttled.result.healthyRatioToSteady.p99 ?? '–'}) beside a 1/s destination with ${throttled.result.queuedAtHealthyStart ?? '–'} queued`
        : '',
    ),
    target(
      'Ordered lanes: events received before an earlier one of their subject',
      '≤',
      0,
      ordered?.result.inversions,
      '',
      ordered ? `${ordered.result.subjects * ordered.result.eventsPerSubject} events, ${ordered.result.lost} lost` : '',
    ),
    target(
      'Purge under load: ingest p99 (POST → 202) × the same load just before',
      '≤',
      1.2,
      purge?.result.ingestRatio.p99,
      '',
      purge ? `${purge.result.expiredRows.total} expired rows purged in ${purge.result.purgeMs ?? '–'} ms (${purge.result.rowsPerSecond ?? '–'} rows/s)` : '',
    ),
    target(
      'Purge under load: delivery p99 (accepted → received) × the same load just before',
      '≤',
      1.2,
      purge?.result.deliveryRatio.p99,
      '',
      purge ? `${purge.result.underPurge.latency.p99Ms ?? '–'} ms against ${purge.result.baseline.latency.p99Ms ?? '–'} ms` : '',
    ),
    target(
      "Retention soak: the database's size over the last third ÷ the second third",
      '≤',
      1.1,
      soak?.result.lastThirdGrowth,
      '',
      soak
        ? `${soak.result.minutes} min at ${soak.result.phase.acceptedPerSecond} events/s, windows ${soak.result.retention.payloadSeconds}/${soak.result.retention.recordSeconds} s; ${soak.result.bytesPer1000Events ?? '–'} bytes of database per 1,000 events held`
        : '',
    ),
    target(
      'API CPU per accepted event (ingest only)',
      '≤',
      2,
      ingest && ingest.units > 0 && ingest.resources.api ? round((ingest.resources.api.cpuSeconds * 1000) / ingest.units, 2) : null,
      ' ms',
      ingest?.resources.api ? '' : 'standalone: the API shares the worker process',
    ),
  ];
}
