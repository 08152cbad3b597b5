// Tells a destination's health workflow what happened, starting it on first need (signal-with-start).
import type { Client } from '@temporalio/client';
import { healthWorkflowId } from '../domain/workflow-ids';
import { destinationHealthWorkflow } from '../workflows/destination-health.workflow';
import { changeSignal, outcomeSignal, type HealthChange, type HealthWorkflowInput, type OutcomeReport } from '../contracts/health';
import { destinationIdAttribute, workspaceIdAttribute } from '../workflows/search-attributes';

export interface HealthTarget {
  destinationId: string;
  workspaceId: string;
}

/** What both signals start the workflow with, when it is not running yet. */
function startOptions(taskQueue: string, target: HealthTarget) {
  const input: HealthWorkflowInput = { destinationId: target.destinationId, workspaceId: target.workspaceId };
  return {
    workflowId: healthWorkflowId(target.destinationId),
    taskQueue,
    args: [input] as [HealthWorkflowInput],
    typedSearchAttributes: [
      { key: workspaceIdAttribute, value: target.workspaceId },
      { key: destinationIdAttribute, value: [target.destinationId] },
    ],
  };
}

export async function reportOutcome(temporal: Client, taskQueue: string, target: HealthTarget, report: OutcomeReport): Promise<void> {
  await temporal.workflow.signalWithStart(destinationHealthWorkflow, { ...startOptions(taskQueue, target), signal: outcomeSignal, signalArgs: [report] });
}

export async function notifyHealthChange(temporal: Client, taskQueue: string, target: HealthTarget, change: HealthChange): Promise<void> {
  await temporal.workflow.signalWithStart(destinationHealthWorkflow, { ...startOptions(taskQueue, target), signal: changeSignal, signalArgs: [change] });
}
