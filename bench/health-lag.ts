// Health workflow lag for the hot-destination scenario: how long its signals wait before a workflow task handles them.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { healthWorkflowId } from '../src/domain/workflow-ids';
import { backlogSlopePerSecond, summarizeLatency, type LatencySummary } from './latency';

export interface HealthLag {
  workflowId: string;
  /** False when no `destination-health-<id>` workflow exists (nothing reported a failure for the destination). */
  measured: boolean;
  reason: string | null;
  runs: number;
  signals: number;
  /** Signal received → the next completed workflow task, per signal. */
  lag: LatencySummary | null;
  /** Growth of that lag over the scenario, ms per second; a steady protocol stays near 0. */
  lagSlopeMsPerSecond: number | null;
  grows: boolean | null;
}

const MAX_RUNS = 50;

/**
 * Reads the history of every run of the destination's health workflow that started since `sinceMs`
 * (it continues-as-new) and pairs each WorkflowExecutionSignaled with the next WorkflowTaskCompleted.
 * Protocol-agnostic: with a signal per outcome it measures the queue; with signals only on streak changes it
 * finds few or none, which is the answer too.
 */
export async function probeHealthLag(temporal: Client, destinationId: string, sinceMs: number): Promise<HealthLag> {
  const workflowId = healthWorkflowId(destinationId);
  const base = { workflowId, runs: 0, signals: 0, lag: null, lagSlopeMsPerSecond: null, grows: null };
  const runIds: string[] = [];
  try {
    await temporal.workflow.getHandle(workflowId).describe();
    for await (const run of temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      if (run.startTime.getTime() >= sinceMs - 60_000) runIds.push(run.runId);
      if (runIds.length >= MAX_RUNS) break;
    }
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      return { ...base, measured: false, reason: 'no destination-health workflow was started for the destination (it is started by a failure report)' };
    }
    throw error;
  }
  if (runIds.length === 0) runIds.push('');

  const points: Array<{ t: number; backlog: number }> = [];
  const lags: number[] = [];
  for (const runId of runIds) {
    const history = await temporal.workflow.getHandle(workflowId, runId || undefined).fetchHistory();
    let waiting: number[] = [];
    for (const event of history.events ?? []) {
      const at = tsToMs(event.eventTime);
      if (event.workflowExecutionSignaledEventAttributes) waiting.push(at);
      else if (event.workflowTaskCompletedEventAttributes && waiting.length > 0) {
        for (const signalledAt of waiting) {
          if (signalledAt < sinceMs) continue;
          lags.push(at - signalledAt);
          points.push({ t: signalledAt - sinceMs, backlog: at - signalledAt });
        }
        waiting = [];
      }
    }
  }
  points.sort((a, b) => a.t - b.t);
  const slope = lags.length === 0 ? null : backlogSlopePerSecond(points);
  return {
    ...base,
    measured: true,
    reason: lags.length === 0 ? 'the health workflow received no signals during the scenario' : null,
    runs: runIds.length,
    signals: lags.length,
    lag: lags.length === 0 ? null : summarizeLatency(lags),
    lagSlopeMsPerSecond: slope,
    // Growing by more than 50 ms per second of load means the workflow falls behind the deliveries.
    grows: slope === null ? null : slope > 50,
  };
}
