// Runs the floors and the scenarios against a started stack, measuring CPU, memory and PostgreSQL writes around each.
import { performance } from 'node:perf_hooks';
import { runHttpFloor } from './floors/http-floor';
import { runTemporalFloor } from './floors/temporal-floor';
import type { BenchStack } from './bench-stack';
import { round } from './latency';
import { PostgresWriteCounter, rowsWrittenBetween, type TableWrites } from './pg-stats';
import { PostgresCpuMeter } from './pg-cpu';
import { ResourceMeter } from './proc-stats';
import { currentLoad, perThousand, type BenchResults, type Measured, type ProcessCost } from './results';
import type { ScenarioContext, ScenarioOutcome } from './scenario-context';
import { burstDrainBoundMs, runBurst } from './scenarios/burst';
import { runFailurePaths } from './failure-costs';
import { runFanout } from './scenarios/fanout';
import { runHot } from './scenarios/hot';
import { runIngest } from './scenarios/ingest';
import { runNoisy } from './scenarios/noisy';
import { runSteady } from './scenarios/steady';
import { runTemporalOutage } from './scenarios/temporal-outage';
import { runThrottled } from './scenarios/throttled';
import { runOrdered } from './scenarios/ordered';
import { runPurge } from './scenarios/purge';
import { runSoak } from './scenarios/soak';
import { measureTemporalCost, type TemporalCost } from './temporal-cost';
import { withTemporalTotal } from './bench-temporal';
import { waitUntil } from './load';

export const SCENARIOS = ['steady', 'fanout', 'hot', 'noisy', 'ingest', 'burst', 'outage', 'throttled', 'ordered', 'purge', 'soak'] as const;

export interface RunFigures {
  floors: BenchResults['floors'];
  scenarios: BenchResults['scenarios'];
  failurePaths: BenchResults['failurePaths'];
  /** Wall-clock bounds of the scenarios, for cutting start-up out of the CPU profiles. */
  window: { fromMs: number; toMs: number };
  deliveries: number;
  ingestWorkspaceIds: string[];
  /** pg_stat_user_tables just before the first scenario; the run's exact total is taken against it. */
  pgBaseline: TableWrites;
}

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

export async function runBench(stack: BenchStack, ctx: ScenarioContext, logDir: string): Promise<RunFigures> {
  // Read at each window: --cluster adds a second worker part-way.
  const pidsNow = (): Record<string, number> => ({
    worker: stack.worker.pid,
    ...Object.fromEntries(stack.extraWorkers.map((w) => [w.name, w.pid])),
    // Standalone, the API is the worker's process: counted once, as the worker.
    ...(stack.api === stack.worker ? {} : { api: stack.api.pid }),
    ...stack.temporal.pids,
    bench: process.pid,
    floorWorker: stack.floorWorker.pid,
  });
  const temporalPg = stack.temporal.databaseUrl ? await PostgresWriteCounter.connect(stack.temporal.databaseUrl) : null;
  const { scenarioMs, concurrency } = ctx.options;
  const pgCpu = await PostgresCpuMeter.find(ctx.pg);
  if (pgCpu.postmasterPid === null) log('PostgreSQL server processes are not visible from here; its CPU is not measured');

  /** The workspace's Temporal cost, after the scenario's window: reading histories loads the server too. */
  const temporalCostOf = async (workspaceId: string): Promise<TemporalCost> => {
    const events = await ctx.pg.count('SELECT count(*) AS n FROM events WHERE workspace_id = $1', [workspaceId]);
    const deliveries = await ctx.pg.count('SELECT count(*) AS n FROM deliveries WHERE workspace_id = $1', [workspaceId]);
    return measureTemporalCost(ctx.temporal, workspaceId, { events, deliveries });
  };

  async function measure<T>(
    name: string,
    unitName: Measured<T>['unitName'],
    run: () => Promise<ScenarioOutcome<T> | { result: T; units: number }>,
  ): Promise<Measured<T>> {
    for (const child of [stack.api, stack.worker, stack.floorWorker, ...stack.extraWorkers]) child.assertRunning();
    log(`${name}…`);
    const before = await ctx.pg.snapshot();
    const temporalBefore = await temporalPg?.snapshot();
    const loadBefore = currentLoad()[0]!;
    const meter = new ResourceMeter(pidsNow());
    const started = performance.now();
    meter.start();
    pgCpu.start();
    const outcome = await run();
    const usage = withTemporalTotal(meter.stop());
    const postgresCpu = pgCpu.stop();
    const wallMs = Math.round(performance.now() - started);
    const rows = rowsWrittenBetween(before, await ctx.pg.snapshot());
    const temporalRows = temporalPg && temporalBefore ? rowsWrittenBetween(temporalBefore, await temporalPg.snapshot()) : null;
    const resources: Record<string, ProcessCost> = {};
    for (const [process, figures] of Object.entries(usage)) {
      resources[process] = { ...figures, cpuSecondsPer1000: perThousand(figures.cpuSeconds, outcome.units) };
    }
    log(`${name}: ${outcome.units} ${unitName} in ${round(wallMs / 1000)} s`);
    const workspaceId = 'workspaceId' in outcome ? outcome.workspaceId : undefined;
    const temporalCost = workspaceId ? await temporalCostOf(workspaceId) : null;
    if (temporalCost)
      log(
        `${name}: ${temporalCost.workflows} workflows, ${temporalCost.perEvent?.actions ?? '–'} actions per event${temporalCost.sampled ? ` (${temporalCost.historiesRead} histories sampled)` : ''}`,
      );
    return {
      result: outcome.result,
      wallMs,
      units: outcome.units,
      unitName: 'unitName' in outcome ? outcome.unitName : unitName,
      resources,
      postgresCpu,
      temporalCost,
      postgres: { ...rows, perUnit: outcome.units > 0 ? round(rows.total / outcome.units, 2) : null },
      ...(temporalRows ? { temporalPostgres: { ...temporalRows, perUnit: outcome.units > 0 ? round(temporalRows.total / outcome.units, 2) : null } } : {}),
      load: { before: loadBefore, after: currentLoad()[0]! },
    };
  }

  const temporal = await measure('Temporal floor', 'workflows', async () => {
    const result = await runTemporalFloor(ctx.temporal, stack.floorTaskQueue, concurrency, scenarioMs);
    return { result, units: result.completions };
  });
  const http = await measure('HTTP floor', 'requests', async () => {
    const result = await runHttpFloor({
      origins: ctx.receivers.origins.slice(0, 10),
      concurrency,
      connectionsPerOrigin: stack.config.worker.connectionsPerOrigin,
      durationMs: scenarioMs,
      logDir,
    });
    return { result, units: result.requests };
  });

  const wanted = (name: (typeof SCENARIOS)[number]) => ctx.options.only.length === 0 || ctx.options.only.includes(name);
  const scenarios: BenchResults['scenarios'] = {};
  const pgBaseline = await ctx.pg.snapshot();
  const fromMs = Date.now();
  let referenceRate: number | null = null;
  let steadySamples: number[] = [];
  let steadyAt90Samples: number[] = [];
  if (ctx.options.cluster) {
    // The same run measures one worker, then two: the scaling figure needs both on the same machine state.
    scenarios.steadyOneWorker = await measure('1 steady, one worker', 'deliveries', () => runSteady(ctx));
    stack.addWorker();
    await waitForPollers(ctx, stack.config.temporal.namespace, stack.config.temporal.taskQueue, 2);
    log('second worker polling');
  }
  if (wanted('steady') || wanted('hot') || wanted('noisy') || wanted('outage') || wanted('throttled') || wanted('purge') || ctx.options.only.includes('soak')) {
    // Hot and noisy run at rates steady finds, so they need it even when only they were asked for.
    scenarios.steady = await measure('1 steady', 'deliveries', async () => {
      const outcome = await runSteady(ctx);
      referenceRate = outcome.referenceRate;
      steadySamples = outcome.at50Samples;
      steadyAt90Samples = outcome.at90Samples;
      return outcome;
    });
  }
  if (wanted('fanout')) scenarios.fanout = await measure('2 fan-out', 'deliveries', () => runFanout(ctx));
  if (wanted('hot')) scenarios.hot = await measure('3 hot destination', 'deliveries', () => runHot(ctx, (referenceRate ?? 1) * 0.9, steadyAt90Samples));
  if (wanted('noisy')) scenarios.noisy = await measure('4 noisy neighbour', 'deliveries', () => runNoisy(ctx, (referenceRate ?? 1) * 0.5, steadySamples));
  if (wanted('burst')) {
    scenarios.burst = await measure('6 burst', 'deliveries', () => runBurst(ctx, ctx.options.burstEvents, burstDrainBoundMs(scenarioMs)));
  }
  if (wanted('outage')) {
    // Temporal frozen (SIGSTOP, then SIGCONT): its connections hang, as a stuck server's do, and its state survives.
    const signal = (name: NodeJS.Signals) => async () => {
      for (const pid of Object.values(stack.temporal.pids)) process.kill(pid, name);
    };
    const outageMs = ctx.options.mode === 'quick' ? 10_000 : 30_000;
    scenarios.outage = await measure('7 Temporal outage', 'deliveries', () =>
      runTemporalOutage(ctx, (referenceRate ?? 2) * 0.5, outageMs, { cut: signal('SIGSTOP'), restore: signal('SIGCONT') }),
    );
  }
  // Delivery control's scenarios after burst and outage: the 1/s queue of the isolation half drains for minutes after.
  if (wanted('throttled')) {
    scenarios.throttled = await measure('8 throttled receiver', 'deliveries', () => runThrottled(ctx, (referenceRate ?? 2) * 0.5, steadySamples));
  }
  if (wanted('ordered')) scenarios.ordered = await measure('9 ordered lanes', 'deliveries', () => runOrdered(ctx));
  // Half an hour: only when named (`--only soak`), never part of a full run.
  if (ctx.options.only.includes('soak')) scenarios.soak = await measure('11 retention soak', 'deliveries', () => runSoak(ctx, (referenceRate ?? 2) * 0.5));
  if (wanted('purge')) scenarios.purge = await measure('10 purge under load', 'deliveries', () => runPurge(ctx, (referenceRate ?? 2) * 0.5));
  // Last: the relays are still taking its tens of thousands of accepted events out of the outbox minutes after it ends,
  // and any scenario after it would measure that backlog.
  const ingestWorkspaceIds: string[] = [];
  if (wanted('ingest')) {
    scenarios.ingest = await measure('5 ingest only', 'events', async () => {
      const outcome = await runIngest(ctx);
      ingestWorkspaceIds.push(outcome.workspaceId);
      return outcome;
    });
  }
  // Once per run, with any scenario: small and bounded, and outside the scenarios' CPU windows.
  const failurePaths = ctx.options.only.length === 1 && ctx.options.only[0] === 'floors' ? [] : await runFailurePaths(ctx, temporalCostOf, log);
  await temporalPg?.close();
  const deliveries = [
    scenarios.steadyOneWorker,
    scenarios.steady,
    scenarios.fanout,
    scenarios.hot,
    scenarios.noisy,
    scenarios.burst,
    scenarios.outage,
    scenarios.throttled,
    scenarios.ordered,
    scenarios.purge,
    scenarios.soak,
  ].reduce((sum, m) => sum + (m?.units ?? 0), 0);
  return { floors: { temporal, http }, scenarios, failurePaths, window: { fromMs, toMs: Date.now() }, deliveries, ingestWorkspaceIds, pgBaseline };
}

/** Until `count` workers poll the task queue's workflow tasks, as Temporal itself reports them. */
async function waitForPollers(ctx: ScenarioContext, namespace: string, taskQueue: string, count: number): Promise<void> {
  const polling = await waitUntil(
    async () => {
      const answer = await ctx.temporal.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 });
      return new Set((answer.pollers ?? []).map((p) => p.identity)).size >= count;
    },
    120_000,
    500,
  );
  if (polling.timedOut) throw new Error(`fewer than ${count} workers poll ${taskQueue} after 120 s`);
}
