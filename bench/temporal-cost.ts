// Temporal cost of a workspace's traffic, counted from the real histories of its workflows with Temporal Cloud's action mapping.
import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { round } from './latency';
import { waitUntil } from './load';

/** Billable actions by kind; `total` is their sum. */
export interface ActionCounts {
  workflowsStarted: number;
  childWorkflowsStarted: number;
  activitiesScheduled: number;
  activityRetries: number;
  localActivityTasks: number;
  signals: number;
  timers: number;
  searchAttributeUpserts: number;
  updates: number;
  total: number;
}

export interface HistoryCounts {
  actions: ActionCounts;
  historyEvents: number;
  workflowTasks: number;
}

export interface TemporalCost {
  workspaceId: string;
  /** Executions (runs) visibility listed for the workspace, by workflow type; every type counts, whatever the topology. */
  workflows: number;
  byType: Record<string, number>;
  /** Histories read; less than `workflows` when the listing was sampled (then the totals are scaled per type). */
  historiesRead: number;
  sampled: boolean;
  /** Still running when counted (long-lived workflows such as health, or failed deliveries in their retry window). */
  stillRunning: number;
  events: number;
  deliveries: number;
  totals: HistoryCounts;
  perEvent: { actions: number; historyEvents: number; workflowTasks: number; workflows: number } | null;
  perDelivery: { actions: number; historyEvents: number; workflowTasks: number; workflows: number } | null;
}

const emptyActions = (): ActionCounts => ({
  workflowsStarted: 0,
  childWorkflowsStarted: 0,
  activitiesScheduled: 0,
  activityRetries: 0,
  localActivityTasks: 0,
  signals: 0,
  timers: 0,
  searchAttributeUpserts: 0,
  updates: 0,
  total: 0,
});

/** The marker the TypeScript SDK (sdk-core) records for each completed local activity. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/**
 * One history, counted with Temporal Cloud's billable-action mapping:
 * - workflow started = 1 (WorkflowExecutionStarted; client start, signal-with-start's start, continue-as-new), except a
 *   child's own start, which its parent already paid for;
 * - child workflow started = 2 (StartChildWorkflowExecutionInitiated in the parent: the start command and the child's run);
 * - activity scheduled = 1 (ActivityTaskScheduled), plus 1 per retry attempt: `attempt - 1` of its last
 *   ActivityTaskStarted (the server records only the last attempt's start; earlier attempts leave no event);
 * - local activities = 1 per workflow task that ran at least one (MarkerRecorded `core_local_activity` events, grouped
 *   by the WorkflowTaskCompleted they follow), however many ran in that task;
 * - signal received = 1 (WorkflowExecutionSignaled; with signal-with-start the start above counts too);
 * - timer started = 1 (TimerStarted); UpsertWorkflowSearchAttributes = 1; update accepted = 1 (WorkflowExecutionUpdateAccepted).
 * Not in a history and so not counted: heartbeats, queries, and starts the server rejected.
 */
export function countHistory(history: History): HistoryCounts {
  const actions = emptyActions();
  const lastAttempt = new Map<string, number>();
  const tasksWithLocalActivities = new Set<string>();
  let lastTaskCompleted = 'none';
  let workflowTasks = 0;
  const events = history.events ?? [];
  for (const event of events) {
    if (event.workflowExecutionStartedEventAttributes) {
      if (!event.workflowExecutionStartedEventAttributes.parentWorkflowExecution) actions.workflowsStarted += 1;
    } else if (event.startChildWorkflowExecutionInitiatedEventAttributes) {
      actions.childWorkflowsStarted += 2;
    } else if (event.activityTaskScheduledEventAttributes) {
      actions.activitiesScheduled += 1;
    } else if (event.activityTaskStartedEventAttributes) {
      const attrs = event.activityTaskStartedEventAttributes;
      const key = String(attrs.scheduledEventId);
      lastAttempt.set(key, Math.max(lastAttempt.get(key) ?? 1, attrs.attempt ?? 1));
    } else if (event.workflowTaskCompletedEventAttributes) {
      workflowTasks += 1;
      lastTaskCompleted = String(event.eventId);
    } else if (event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) {
      tasksWithLocalActivities.add(lastTaskCompleted);
    } else if (event.workflowExecutionSignaledEventAttributes) {
      actions.signals += 1;
    } else if (event.timerStartedEventAttributes) {
      actions.timers += 1;
    } else if (event.upsertWorkflowSearchAttributesEventAttributes) {
      actions.searchAttributeUpserts += 1;
    } else if (event.workflowExecutionUpdateAcceptedEventAttributes) {
      actions.updates += 1;
    }
  }
  for (const attempt of lastAttempt.values()) actions.activityRetries += attempt - 1;
  actions.localActivityTasks = tasksWithLocalActivities.size;
  actions.total = totalOf(actions);
  return { actions, historyEvents: events.length, workflowTasks };
}

function totalOf(a: ActionCounts): number {
  return (
    a.workflowsStarted +
    a.childWorkflowsStarted +
    a.activitiesScheduled +
    a.activityRetries +
    a.localActivityTasks +
    a.signals +
    a.timers +
    a.searchAttributeUpserts +
    a.updates
  );
}

function addScaled(into: HistoryCounts, from: HistoryCounts, factor: number): void {
  for (const key of Object.keys(from.actions) as Array<keyof ActionCounts>) into.actions[key] += from.actions[key] * factor;
  into.historyEvents += from.historyEvents * factor;
  into.workflowTasks += from.workflowTasks * factor;
}

/** Listing stops here (a run far beyond any scenario's size); histories read stop at MAX_HISTORIES, spread over the types. */
const MAX_LISTED = 50_000;
const MAX_HISTORIES = 300;

interface Listed {
  workflowId: string;
  runId: string;
  type: string;
  running: boolean;
}

/** Evenly spaced members of each type, so every workflow type is in the sample in its own proportion. */
function stratifiedSample(listed: Listed[]): Array<{ type: string; members: Listed[]; of: number }> {
  const byType = new Map<string, Listed[]>();
  for (const run of listed) byType.set(run.type, [...(byType.get(run.type) ?? []), run]);
  const budget = Math.max(1, Math.floor(MAX_HISTORIES / Math.max(1, byType.size)));
  return [...byType].map(([type, runs]) => {
    if (runs.length <= budget) return { type, members: runs, of: runs.length };
    const step = runs.length / budget;
    return { type, members: Array.from({ length: budget }, (_, i) => runs[Math.floor(i * step)]!), of: runs.length };
  });
}

/**
 * Waits (bounded) until the workspace's open workflows have closed or stopped changing, so the histories hold the
 * work the scenario caused (a delivery is received before its workflow's last task completes); long-lived workflows
 * stay open and are counted as they are.
 */
async function settle(temporal: Client, query: string, boundMs: number): Promise<void> {
  let last = -1;
  let sameSince = Date.now();
  await waitUntil(
    async () => {
      const running = Number((await temporal.workflow.count(`${query} AND ExecutionStatus = "Running"`)).count);
      if (running !== last) {
        last = running;
        sameSince = Date.now();
      }
      return running === 0 || Date.now() - sameSince >= 2_000;
    },
    boundMs,
    250,
  );
}

export async function measureTemporalCost(
  temporal: Client,
  workspaceId: string,
  units: { events: number; deliveries: number },
  settleMs = 15_000,
): Promise<TemporalCost> {
  const query = `HooklineWorkspaceId = "${workspaceId}"`;
  await settle(temporal, query, settleMs);
  const listed: Listed[] = [];
  for await (const run of temporal.workflow.list({ query, pageSize: 1000 })) {
    listed.push({ workflowId: run.workflowId, runId: run.runId, type: run.type, running: run.status.name === 'RUNNING' });
    if (listed.length >= MAX_LISTED) break;
  }
  const totals: HistoryCounts = { actions: emptyActions(), historyEvents: 0, workflowTasks: 0 };
  const byType: Record<string, number> = {};
  let historiesRead = 0;
  for (const stratum of stratifiedSample(listed)) {
    byType[stratum.type] = stratum.of;
    const sum: HistoryCounts = { actions: emptyActions(), historyEvents: 0, workflowTasks: 0 };
    for (const run of stratum.members) {
      addScaled(sum, countHistory(await temporal.workflow.getHandle(run.workflowId, run.runId).fetchHistory()), 1);
      historiesRead++;
    }
    // A sampled type stands for all its runs: its counts are scaled by runs listed ÷ runs read.
    addScaled(totals, sum, stratum.of / stratum.members.length);
  }
  for (const key of Object.keys(totals.actions) as Array<keyof ActionCounts>) totals.actions[key] = round(totals.actions[key], 1);
  totals.historyEvents = round(totals.historyEvents, 1);
  totals.workflowTasks = round(totals.workflowTasks, 1);
  const per = (n: number) =>
    n > 0
      ? {
          actions: round(totals.actions.total / n, 2),
          historyEvents: round(totals.historyEvents / n, 2),
          workflowTasks: round(totals.workflowTasks / n, 2),
          workflows: round(listed.length / n, 2),
        }
      : null;
  return {
    workspaceId,
    workflows: listed.length,
    byType,
    historiesRead,
    sampled: historiesRead < listed.length,
    stillRunning: listed.filter((run) => run.running).length,
    events: units.events,
    deliveries: units.deliveries,
    totals,
    perEvent: per(units.events),
    perDelivery: per(units.deliveries),
  };
}
