// Records workflow histories from the real app into test/workflows/histories/, the fixtures replay.test.ts replays.
/*
 * These histories are the contract a workflow change must keep: each stands for workflows that may be
 * running in production right now, recorded from the workflow code of the day (first set: commit e3b9dca).
 * So keep the existing files when workflows change and ADD recordings of new paths under new names;
 * an existing fixture is replaced only when HOOKLINE_RERECORD_HISTORIES=1 is set, deliberately.
 *
 * Not matched by jest's testMatch (it is no *.test.ts), so `npm test` never runs it. To record, run it
 * through `npm test` (for PostgreSQL, the Temporal dev server and the bundle its global setup provides):
 *
 *   npm test -- --testMatch '<rootDir>/test/workflows/record-histories.ts'
 *   HOOKLINE_RERECORD_HISTORIES=1 npm test -- --testMatch '<rootDir>/test/workflows/record-histories.ts' -t 'test send'
 *
 * (-t picks scenarios by name.) With the environment `npm test` sets (DATABASE_URL for the scratch databases,
 * TEMPORAL_CLI_PATH); the whole run takes well under a minute. Then run replay.test.ts and commit the new files.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { eventWorkflowId, healthWorkflowId } from '../../src/domain/workflow-ids';
import { deliveryWhen, eventWhen, makeDestination, postEvent } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver, type Responder } from '../support/receiver';
import { historyToJSON } from './history-json';

const HISTORIES = join(__dirname, 'histories');
const RERECORD = process.env.HOOKLINE_RERECORD_HISTORIES === '1';

// Short, exact delays so every path (retries, Retry-After, probes, release batches) happens within seconds.
const FAST = {
  HOOKLINE_RETRY_SCHEDULE: '100ms,100ms',
  HOOKLINE_RETRY_JITTER: '0',
  HOOKLINE_RETRY_AFTER_MIN: '1s',
  HOOKLINE_RETRY_WINDOW: '1h',
  HOOKLINE_RECOVERY_PROBE_MIN: '1s',
  // One release a second: two held deliveries make the health workflow loop (wake, sleep, wake).
  HOOKLINE_HELD_RELEASE_RATE: '1',
};

type Recorded = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/** Between workflow tasks: the last event is not a task the worker is still being given or running. */
const betweenTasks = (history: Recorded) => {
  const last = history.events?.[history.events.length - 1];
  return !!last && !last.workflowTaskScheduledEventAttributes && !last.workflowTaskStartedEventAttributes;
};

/** A health workflow back at its inbox: no release batch or activity still under way. */
const waitingForSignals = (history: Recorded) => {
  const last = [...(history.events ?? [])].reverse().find((event) => !isWorkflowTaskEvent(event));
  return !!last && !last.timerStartedEventAttributes && !last.activityTaskScheduledEventAttributes && !last.activityTaskStartedEventAttributes;
};

function isWorkflowTaskEvent(event: NonNullable<Recorded['events']>[number]): boolean {
  return !!(
    event.workflowTaskScheduledEventAttributes ||
    event.workflowTaskStartedEventAttributes ||
    event.workflowTaskCompletedEventAttributes ||
    event.workflowTaskFailedEventAttributes ||
    event.workflowTaskTimedOutEventAttributes
  );
}

/**
 * The history once the workflow is between workflow tasks (closed, or open and waiting on a timer, signal
 * or activity) and has stopped growing, so a fixture never ends in the middle of a task the worker is running.
 */
async function settledHistory(handle: WorkflowHandle, ready: (history: Recorded) => boolean) {
  let previous = -1;
  return eventually(async () => {
    const history = await handle.fetchHistory();
    const length = history.events?.length ?? 0;
    const stable = length === previous;
    previous = length;
    return stable && betweenTasks(history) && ready(history) ? history : undefined;
  }, `workflow ${handle.workflowId} to settle`);
}

/** Writes the workflow's history as `histories/<name>.json`, unless that fixture exists and re-recording is off. */
async function record(hookline: HooklineHarness, name: string, workflowId: string, ready: (history: Recorded) => boolean = () => true): Promise<void> {
  const file = join(HISTORIES, `${name}.json`);
  if (existsSync(file) && !RERECORD) return;
  const history = await settledHistory(hookline.temporal.workflow.getHandle(workflowId), ready);
  mkdirSync(HISTORIES, { recursive: true });
  writeFileSync(file, historyToJSON(history));
}

const closed = async (hookline: HooklineHarness, workflowId: string) => {
  await hookline.temporal.workflow.getHandle(workflowId).result();
};

describe('recording workflow histories', () => {
  let hookline: HooklineHarness;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    hookline = await startHookline(FAST);
  });

  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await hookline?.close();
  });

  /** A workspace with one destination on a fresh receiver answering as `responder` says. */
  async function destinationAnswering(responder: Responder, settings: Record<string, unknown> = {}) {
    const receiver = await startReceiver(responder);
    receivers.push(receiver);
    const { key } = await hookline.createWorkspace();
    const destination = await makeDestination(hookline, key, { url: `${receiver.url}/hook`, event_types: ['*'], ...settings });
    return { receiver, key, destination };
  }

  /** Posts an event and returns its only delivery once it is in `status`. */
  async function deliveryIn(key: string, status: string, data: unknown = { id: 'c_1' }) {
    const eventId = await postEvent(hookline, key, { type: 'contact.updated', data });
    const event = await eventWhen(hookline, key, eventId, (e) => e.deliveries.length === 1, `event ${eventId} to have its delivery`);
    const delivery = await deliveryWhen(hookline, key, event.deliveries[0].id, (d) => d.status === status, `delivery of ${eventId} to be ${status}`);
    return { eventId, delivery };
  }

  const patch = (key: string, destinationId: string, body: unknown) => hookline.request('PATCH', `/v1/destinations/${destinationId}`, { key, body });

  it('an event delivered to its one destination', async () => {
    const { key } = await destinationAnswering(() => ({ status: 200, body: 'ok' }));
    const { eventId, delivery } = await deliveryIn(key, 'succeeded');
    await closed(hookline, delivery.workflow_id);
    await record(hookline, 'event-delivered.event', eventWorkflowId(eventId));
    await record(hookline, 'event-delivered.delivery', delivery.workflow_id);
  });

  it('an event fanned out to three destinations', async () => {
    const { key, receiver } = await destinationAnswering(() => ({ status: 200 }));
    for (const path of ['/b', '/c']) await makeDestination(hookline, key, { url: `${receiver.url}${path}`, event_types: ['*'] });
    const eventId = await postEvent(hookline, key, { type: 'contact.updated', data: { id: 'c_1' } });
    const event = await eventWhen(hookline, key, eventId, (e) => e.deliveries.length === 3, 'three deliveries');
    await closed(hookline, eventWorkflowId(eventId));
    for (const planned of event.deliveries) await closed(hookline, planned.workflow_id);
    await record(hookline, 'event-fan-out-3.event', eventWorkflowId(eventId));
  });

  it('a delivery that failed once (500) and succeeded on the retry', async () => {
    const { key } = await destinationAnswering((_, index) => (index === 0 ? { status: 500 } : { status: 200 }), { max_attempts: 3 });
    const { delivery } = await deliveryIn(key, 'succeeded');
    await closed(hookline, delivery.workflow_id);
    await record(hookline, 'delivery-retried-then-succeeded', delivery.workflow_id);
  });

  it('a delivery that failed for good and waits in its retry window', async () => {
    const { key } = await destinationAnswering(() => ({ status: 500 }), { max_attempts: 2 });
    const { delivery } = await deliveryIn(key, 'failed');
    await record(hookline, 'delivery-failed-waiting-for-retry', delivery.workflow_id);
  });

  it('a failed delivery retried by hand (POST /v1/deliveries/:id/retry) that then succeeded', async () => {
    let down = true;
    const { key } = await destinationAnswering(() => (down ? { status: 500 } : { status: 200 }), { max_attempts: 2 });
    const { delivery } = await deliveryIn(key, 'failed');
    down = false;
    const retry = await hookline.request('POST', `/v1/deliveries/${delivery.id}/retry`, { key });
    expect(retry.status).toBe(202);
    await closed(hookline, delivery.workflow_id);
    await record(hookline, 'delivery-failed-then-manual-retry-succeeded', delivery.workflow_id);
  });

  it('a held delivery (destination disabled) released by re-enabling it', async () => {
    const { key, destination } = await destinationAnswering(() => ({ status: 200 }), { enabled: false });
    const { delivery } = await deliveryIn(key, 'held');
    expect((await patch(key, destination.id, { enabled: true })).status).toBe(200);
    await closed(hookline, delivery.workflow_id);
    await record(hookline, 'delivery-held-then-released', delivery.workflow_id);
    await record(hookline, 'health-reenabled-released-held', healthWorkflowId(destination.id), waitingForSignals);
  });

  it('a held delivery discarded (POST /v1/destinations/:id/held/discard)', async () => {
    const { key, destination } = await destinationAnswering(() => ({ status: 200 }), { enabled: false });
    const { delivery } = await deliveryIn(key, 'held');
    const discard = await hookline.request('POST', `/v1/destinations/${destination.id}/held/discard`, { key });
    expect(discard.body).toEqual({ discarded: 1 });
    await closed(hookline, delivery.workflow_id);
    await record(hookline, 'delivery-held-then-discarded', delivery.workflow_id);
    await record(hookline, 'health-discarded-held', healthWorkflowId(destination.id), waitingForSignals);
  });

  it('a delivery paused between retries (disabled during a Retry-After), held, then released', async () => {
    const { key, destination, receiver } = await destinationAnswering(
      (_, index) => (index === 0 ? { status: 503, headers: { 'retry-after': '2' } } : { status: 200 }),
      { max_attempts: 3 },
    );
    const eventId = await postEvent(hookline, key, { type: 'contact.updated', data: { id: 'c_1' } });
    await receiver.waitForRequests(1);
    expect((await patch(key, destination.id, { enabled: false })).status).toBe(200);
    const event = await eventWhen(hookline, key, eventId, (e) => e.deliveries.length === 1, 'the delivery');
    const delivery = await deliveryWhen(hookline, key, event.deliveries[0].id, (d) => d.status === 'held', 'the delivery to be held');
    expect((await patch(key, destination.id, { enabled: true })).status).toBe(200);
    await closed(hookline, delivery.workflow_id);
    await record(hookline, 'delivery-paused-mid-retries-then-released', delivery.workflow_id);
  });

  it('a destination health workflow through a failure streak, auto-disable and re-enable', async () => {
    let healthy = false;
    const { key, destination } = await destinationAnswering(() => (healthy ? { status: 200 } : { status: 500 }), { max_attempts: 1, failure_threshold: 3 });
    for (const n of [1, 2, 3]) await deliveryIn(key, 'failed', { n });
    const health = () => hookline.request('GET', `/v1/destinations/${destination.id}/health`, { key });
    await eventually(async () => ((await health()).body.status === 'auto_disabled' ? true : undefined), 'auto-disable');
    const held = [await deliveryIn(key, 'held', { n: 4 }), await deliveryIn(key, 'held', { n: 5 })];
    healthy = true;
    expect((await patch(key, destination.id, { enabled: true })).status).toBe(200);
    for (const { delivery } of held) await closed(hookline, delivery.workflow_id);
    await eventually(async () => ((await health()).body.held_count === 0 ? true : undefined), 'nothing held');
    await record(hookline, 'health-streak-auto-disable-reenable', healthWorkflowId(destination.id), waitingForSignals);
  });

  it('a destination health workflow that auto-recovers through a probe', async () => {
    let healthy = false;
    const { key, destination } = await destinationAnswering(() => (healthy ? { status: 200 } : { status: 500 }), {
      max_attempts: 1,
      failure_threshold: 2,
      auto_recover: true,
    });
    for (const n of [1, 2]) await deliveryIn(key, 'failed', { n });
    const health = () => hookline.request('GET', `/v1/destinations/${destination.id}/health`, { key });
    await eventually(async () => ((await health()).body.status === 'auto_disabled' ? true : undefined), 'auto-disable');
    const { delivery } = await deliveryIn(key, 'held', { n: 3 });
    healthy = true;
    await closed(hookline, delivery.workflow_id);
    await eventually(async () => ((await health()).body.status === 'active' ? true : undefined), 'recovery');
    await record(hookline, 'health-auto-recover-probe', healthWorkflowId(destination.id), waitingForSignals);
  });

  it('a destination deleted while it holds a delivery, which ends its health workflow', async () => {
    const { key, destination } = await destinationAnswering(() => ({ status: 200 }), { enabled: false });
    const { delivery } = await deliveryIn(key, 'held');
    expect((await hookline.request('DELETE', `/v1/destinations/${destination.id}`, { key })).status).toBe(204);
    await closed(hookline, delivery.workflow_id);
    await closed(hookline, healthWorkflowId(destination.id));
    await record(hookline, 'health-destination-deleted', healthWorkflowId(destination.id));
  });

  it('a test send (POST /v1/destinations/:id/test), which waits for its child delivery', async () => {
    const { key, destination } = await destinationAnswering(() => ({ status: 200, body: 'pong' }));
    const sent = await hookline.request('POST', `/v1/destinations/${destination.id}/test`, { key, body: {} });
    expect(sent.body).toMatchObject({ ok: true });
    await closed(hookline, eventWorkflowId(sent.body.event_id));
    const delivery = await deliveryWhen(hookline, key, sent.body.delivery_id, (d) => d.status === 'succeeded', 'the test delivery');
    await record(hookline, 'test-send.event', eventWorkflowId(sent.body.event_id));
    await record(hookline, 'test-send.delivery', delivery.workflow_id);
  });
});

describe('recording workflow histories with a short retry window', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;

  beforeAll(async () => {
    hookline = await startHookline({ ...FAST, HOOKLINE_RETRY_WINDOW: '500ms' });
    receiver = await startReceiver(() => ({ status: 500 }));
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  it('a failed delivery whose retry window ran out', async () => {
    const { key } = await hookline.createWorkspace();
    await makeDestination(hookline, key, { url: `${receiver.url}/hook`, event_types: ['*'], max_attempts: 2 });
    const eventId = await postEvent(hookline, key, { type: 'contact.updated', data: { id: 'c_1' } });
    const event = await eventWhen(hookline, key, eventId, (e) => e.deliveries.length === 1, 'the delivery');
    // The row is planned before its workflow starts; once the event workflow is done, the delivery's has started.
    await closed(hookline, eventWorkflowId(eventId));
    const workflowId = event.deliveries[0].workflow_id;
    const result = await hookline.temporal.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({ status: 'failed' });
    await record(hookline, 'delivery-failed-retry-window-expired', workflowId);
  });
});
