// The failure paths, once per run and small: a retried attempt, a paused-then-released destination, a manual retry.
import { benchEventData } from '../hookline-api';
import { waitUntil } from '../load';
import { FAIL_ONCE_PATH } from '../receivers';
import { DRAIN_TIMEOUT_MS, type ScenarioContext } from '../scenario-context';

/** Events per path: enough to average out, few enough that the three paths take seconds. */
export const FAILURE_PATH_EVENTS = 20;

export type FailurePathName = 'retry' | 'paused' | 'manualRetry';

export interface FailurePathRun {
  name: FailurePathName;
  description: string;
  workspaceId: string;
  events: number;
  /** Deliveries the receiver accepted (200), replays of the same webhook-id included. */
  received: number;
  /** The path finished within its bound (every delivery received, every retry replayed). */
  completed: boolean;
  wallMs: number;
}

const EVENT_TYPE = 'bench.failure';

async function postAll(ctx: ScenarioContext, key: string): Promise<string[]> {
  const ids: string[] = [];
  // Sequentially: the paths measure what each delivery costs Temporal, not how fast they can be pushed.
  for (let seq = 0; seq < FAILURE_PATH_EVENTS; seq++) ids.push(await ctx.api.postEvent(key, EVENT_TYPE, benchEventData(seq)));
  return ids;
}

/** `path` must not start with the receivers' failing prefixes (`/fail…`) unless the path is meant to fail. */
async function oneDestination(ctx: ScenarioContext, name: string, path: string) {
  return ctx.api.createWorkspace(`bench failure ${name}`, [{ name, url: `${ctx.receivers.origins[0]}${path}`, eventTypes: [EVENT_TYPE] }]);
}

/** (a) The receiver fails every delivery's first attempt and accepts the second: one retry per delivery. */
async function retryPath(ctx: ScenarioContext): Promise<Omit<FailurePathRun, 'wallMs'>> {
  const workspace = await oneDestination(ctx, 'retry', `${FAIL_ONCE_PATH}paths/retry`);
  ctx.receivers.reset();
  await postAll(ctx, workspace.key);
  const drained = await waitUntil(() => ctx.receivers.delivered >= FAILURE_PATH_EVENTS, DRAIN_TIMEOUT_MS);
  return {
    name: 'retry',
    description: 'first attempt 503, second 200',
    workspaceId: workspace.id,
    events: FAILURE_PATH_EVENTS,
    received: ctx.receivers.delivered,
    completed: !drained.timedOut,
  };
}

/** (b) The destination is disabled, the events' deliveries are held, then `enabled: true` releases them. */
async function pausedPath(ctx: ScenarioContext): Promise<Omit<FailurePathRun, 'wallMs'>> {
  const workspace = await oneDestination(ctx, 'paused', '/paths/paused');
  const destinationId = workspace.destinationIds[0]!;
  await ctx.api.setDestinationEnabled(workspace.key, destinationId, false);
  ctx.receivers.reset();
  await postAll(ctx, workspace.key);
  // Held is a database status whatever holds it (a waiting workflow or nothing at all), so wait for the rows.
  const held = () => ctx.pg.count("SELECT count(*) AS n FROM deliveries WHERE workspace_id = $1 AND status = 'held'", [workspace.id]);
  const allHeld = await waitUntil(async () => (await held()) >= FAILURE_PATH_EVENTS, DRAIN_TIMEOUT_MS, 100);
  const deliveredWhilePaused = ctx.receivers.delivered;
  await ctx.api.setDestinationEnabled(workspace.key, destinationId, true);
  const drained = await waitUntil(() => ctx.receivers.delivered >= FAILURE_PATH_EVENTS, DRAIN_TIMEOUT_MS);
  return {
    name: 'paused',
    description: 'disabled, 20 held, re-enabled',
    workspaceId: workspace.id,
    events: FAILURE_PATH_EVENTS,
    received: ctx.receivers.delivered,
    completed: !allHeld.timedOut && deliveredWhilePaused === 0 && !drained.timedOut,
  };
}

/** (c) Every delivery succeeds, then each is retried by hand (`POST /v1/deliveries/:id/retry`): a replay, same webhook-id. */
async function manualRetryPath(ctx: ScenarioContext): Promise<Omit<FailurePathRun, 'wallMs'>> {
  const workspace = await oneDestination(ctx, 'manual', '/paths/manual');
  ctx.receivers.reset();
  await postAll(ctx, workspace.key);
  const delivered = await waitUntil(() => ctx.receivers.delivered >= FAILURE_PATH_EVENTS, DRAIN_TIMEOUT_MS);
  // The row says succeeded only once the attempt is recorded; retry is refused (409) before that. And a retry
  // signalled to a workflow that is completing anyway is accepted (202) but not replayed, so wait until the
  // workspace has no open workflow: this path measures a retry of a finished delivery.
  const succeeded = () => ctx.pg.count("SELECT count(*) AS n FROM deliveries WHERE workspace_id = $1 AND status = 'succeeded'", [workspace.id]);
  await waitUntil(async () => (await succeeded()) >= FAILURE_PATH_EVENTS, DRAIN_TIMEOUT_MS, 100);
  const open = async () => Number((await ctx.temporal.workflow.count(`HooklineWorkspaceId = "${workspace.id}" AND ExecutionStatus = "Running"`)).count);
  await waitUntil(async () => (await open()) === 0, DRAIN_TIMEOUT_MS, 100);
  let refused = 0;
  for (const id of await ctx.api.deliveryIds(workspace.key, FAILURE_PATH_EVENTS)) {
    // A refusal (409: not finished yet) is reported as an incomplete path rather than ending the run.
    await ctx.api.retryDelivery(workspace.key, id).catch(() => refused++);
  }
  // A replay carries the same webhook-id, so the receiver counts it as a duplicate.
  const replayed = await waitUntil(() => ctx.receivers.duplicates >= FAILURE_PATH_EVENTS - refused, DRAIN_TIMEOUT_MS);
  return {
    name: 'manualRetry',
    description: 'succeeded, then retried by hand',
    workspaceId: workspace.id,
    events: FAILURE_PATH_EVENTS,
    received: ctx.receivers.delivered + ctx.receivers.duplicates,
    completed: !delivered.timedOut && refused === 0 && !replayed.timedOut,
  };
}

export const FAILURE_PATHS: Record<FailurePathName, (ctx: ScenarioContext) => Promise<Omit<FailurePathRun, 'wallMs'>>> = {
  retry: retryPath,
  paused: pausedPath,
  manualRetry: manualRetryPath,
};
