// Runs the failure paths one after another and counts each one's Temporal cost from its workspace's histories.
import { performance } from 'node:perf_hooks';
import type { ScenarioContext } from './scenario-context';
import { FAILURE_PATHS, type FailurePathName, type FailurePathRun } from './scenarios/failure-paths';
import type { TemporalCost } from './temporal-cost';

export interface FailurePathCost extends FailurePathRun {
  temporalCost: TemporalCost;
}

export async function runFailurePaths(
  ctx: ScenarioContext,
  costOf: (workspaceId: string) => Promise<TemporalCost>,
  log: (message: string) => void,
): Promise<FailurePathCost[]> {
  const runs: FailurePathCost[] = [];
  for (const name of Object.keys(FAILURE_PATHS) as FailurePathName[]) {
    log(`failure path ${name}…`);
    const started = performance.now();
    const run = await FAILURE_PATHS[name](ctx);
    const wallMs = Math.round(performance.now() - started);
    const temporalCost = await costOf(run.workspaceId);
    log(
      `failure path ${name}: ${run.received} received in ${wallMs} ms${run.completed ? '' : ' (did not complete within its bound)'}; ${temporalCost.perEvent?.actions ?? '–'} actions per event`,
    );
    runs.push({ ...run, wallMs, temporalCost });
  }
  return runs;
}
