// The Temporal floor: the trivial workflow (one no-op activity) executed closed-loop at the run's concurrency.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { floorWorkflow } from '../floor.workflow';
import { summarizeLatency, type LatencySummary } from '../latency';
import { runLoad } from '../load';

export interface TemporalFloorResult {
  completions: number;
  failed: number;
  firstError: string | null;
  completionsPerSecond: number;
  /** start → result of one workflow */
  latency: LatencySummary;
}

export class FloorWorkerNotReadyError extends Error {
  override name = 'FloorWorkerNotReadyError';
}

export async function runTemporalFloor(temporal: Client, taskQueue: string, concurrency: number, durationMs: number): Promise<TemporalFloorResult> {
  const run = randomUUID().slice(0, 8);
  const execute = (id: string) =>
    temporal.workflow.execute<typeof floorWorkflow>('floorWorkflow', { taskQueue, workflowId: `floor-${run}-${id}`, workflowExecutionTimeout: '60s' });
  // The floor worker is a separate process; the first execution also proves it is polling.
  try {
    await execute('warmup');
  } catch (error) {
    throw new FloorWorkerNotReadyError(`the floor worker did not complete a warm-up workflow: ${String(error)}`);
  }
  const load = await runLoad({
    rate: null,
    concurrency,
    durationMs,
    send: async (seq) => {
      await execute(String(seq));
    },
  });
  return {
    completions: load.accepted,
    failed: load.failed,
    firstError: load.firstError,
    completionsPerSecond: load.acceptedPerSecond,
    latency: summarizeLatency(load.requestMs),
  };
}
