// Tells a destination's health workflow what happened, starting it on first need (signal-with-start).
import type { Client } from '@temporalio/client';
import { healthWorkflowId } from '../domain/workflow-ids';
import {
  HEALTH_CHANGE_SIGNAL,
  HEALTH_OUTCOME_SIGNAL,
  HEALTH_QUERY,
  HEALTH_WORKFLOW,
  type HealthChange,
  type HealthSnapshot,
  type HealthWorkflowInput,
  type OutcomeReport,
} from '../workflows/health.contracts';
import { destinationIdAttribute, workspaceIdAttribute } from '../workflows/search-attributes';

export interface HealthTarget {
  destinationId: string;
  workspaceId: string;
}

async function signalHealth(temporal: Client, taskQueue: string, target: HealthTarget, signal: string, args: unknown[]): Promise<void> {
  await temporal.workflow.signalWithStart<(input: HealthWorkflowInput) => Promise<void>, unknown[]>(HEALTH_WORKFLOW, {
    workflowId: healthWorkflowId(target.destinationId),
    taskQueue,
    signal,
    signalArgs: args,
    args: [{ destinationId: target.destinationId, workspaceId: target.workspaceId }],
    typedSearchAttributes: [
      { key: workspaceIdAttribute, value: target.workspaceId },
      { key: destinationIdAttribute, value: target.destinationId },
    ],
  });
}

export function reportOutcome(temporal: Client, taskQueue: string, target: HealthTarget, report: OutcomeReport): Promise<void> {
  return signalHealth(temporal, taskQueue, target, HEALTH_OUTCOME_SIGNAL, [report]);
}

export function notifyHealthChange(temporal: Client, taskQueue: string, target: HealthTarget, change: HealthChange): Promise<void> {
  return signalHealth(temporal, taskQueue, target, HEALTH_CHANGE_SIGNAL, [change]);
}

/** The workflow's own view, or null when no health workflow was ever needed for this destination. */
export async function queryHealth(temporal: Client, destinationId: string): Promise<HealthSnapshot | null> {
  try {
    return await temporal.workflow.getHandle(healthWorkflowId(destinationId)).query<HealthSnapshot>(HEALTH_QUERY);
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError') return null;
    throw error;
  }
}
