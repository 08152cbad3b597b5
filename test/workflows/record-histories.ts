// Records workflow histories from the real app into test/workflows/histories/, the fixtures replay.test.ts replays.
/*
 * These histories are the contract a workflow change must keep (docs/versioning.md). Delivery and health workflows
 * live for days and move to each new build, so their fixtures stand for workflows that may be running in production
 * right now: keep the existing files when those workflows change and ADD recordings of new paths under new names. The
 * first delivery-* and health-* fixtures were recorded with child workflows per delivery and retry windows; the
 * `inline.delivery-*` ones with inline first attempts and delivery workflows that close as failed. Event workflows are
 * pinned to the build that started them, so their fixtures (`planned.*`) check today's event workflow only: when it
 * changes, record them again. An existing fixture is replaced only when HOOKLINE_RERECORD_HISTORIES=1 is set.
 *
 * Not matched by jest's testMatch (it is no *.test.ts), so `npm test` never runs it. To record, run it
 * through `npm run test:workflows` (for PostgreSQL, the Temporal dev server and the bundle its global setup provides):
 *
 *   npm run test:workflows -- --testMatch '<rootDir>/test/workflows/record-histories.ts'
 *   HOOKLINE_RERECORD_HISTORIES=1 npm run test:workflows -- --testMatch '<rootDir>/test/workflows/record-histories.ts' -t 'test send'
 *
 * (-t picks scenarios by name.) With the environment `npm test` sets (DATABASE_URL for the scratch databases,
 * TEMPORAL_CLI_PATH); the whole run takes well under a minute. Then run replay.test.ts and commit the new files.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { deliveryWorkflowId, eventWorkflowId } from '../../src/domain/workflow-ids';
import { deliveryWhen, eventWhen, makeDestination, postEvent } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver, type Responder } from '../support/receiver';
import { startWithRelayedWorkerDatabase } from '../support/relayed-worker';
import { historyToJSON } from './history-json';

const HISTORIES = join(__dirname, 'histories');
const RERECORD = process.env.HOOKLINE_RERECORD_HISTORIES === '1';
/** The prefix of today's event workflow recordings (planning makes the first attempts). */
const EVENTS = 'planned';

// Short, exact delays so every path (retries, Retry-After, probes, release batches) happens within seconds.
const FAST = {
  HOOKLINE_RETRY_SCHEDULE: '100ms,100ms',
  HOOKLINE_RETRY_JITTER: '0',
  HOOKLINE_RETRY_AFTER_MIN: '1s',
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
async function record(
  hookline: Pick<HooklineHarness, 'temporal'>,
  name: string,
  workflowId: string,
  ready: (history: Recorded) => boolean = () => true,
): Promise<void> {
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

  /** A delivery workflow's end, whether it completed or closed as failed. */
  const ended = async (workflowId: string) => {
    await hookline.temporal.workflow
      .getHandle(workflowId)
      .result()
      .catch(() => undefined);
  };

  it('an event delivered inline to its one destination', async () => {
    const { key } = await destinationAnswering(() => ({ status: 200, body: 'ok' }));
    const { eventId } = await deliveryIn(key, 'succeeded');
    await closed(hookline, eventWorkflowId(eventId));
    await record(hookline, `${EVENTS}.event-delivered`, eventWorkflowId(eventId));
  });

  it('an event fanned out inline to three destinations', async () => {
    const { key, receiver } = await destinationAnswering(() => ({ status: 200 }));
    for (const path of ['/b', '/c']) await makeDestination(hookline, key, { url: `${receiver.url}${path}`, event_types: ['*'] });
    const eventId = await postEvent(hookline, key, { type: 'contact.updated', data: { id: 'c_1' } });
    await eventWhen(
      hookline,
      key,
      eventId,
      (e) => e.deliveries.length === 3 && e.deliveries.every((d: { status: string }) => d.status === 'succeeded'),
      'three deliveries',
    );
    await closed(hookline, eventWorkflowId(eventId));
    await record(hookline, `${EVENTS}.event-fan-out-3`, eventWorkflowId(eventId));
  });

  it('an inline attempt that failed (500), handed to a delivery workflow that succeeded on the retry', async () => {
    const { key } = await destinationAnswering((_, index) => (index === 0 ? { status: 500 } : { status: 200 }), { max_attempts: 3 });
    const { eventId, delivery } = await deliveryIn(key, 'succeeded');
    await closed(hookline, delivery.workflow_id);
    await record(hookline, `${EVENTS}.event-escalated`, eventWorkflowId(eventId));
    await record(hookline, 'inline.delivery-escalated-then-succeeded', delivery.workflow_id);
  });

  it('a delivery that failed for good, whose workflow closed as failed, then retried by hand and delivered', async () => {
    let down = true;
    const { key } = await destinationAnswering(() => (down ? { status: 500 } : { status: 200 }), { max_attempts: 2 });
    const { delivery } = await deliveryIn(key, 'failed');
    const workflowId = deliveryWorkflowId(delivery.id);
    await ended(workflowId);
    await record(hookline, 'inline.delivery-closed-as-failed', workflowId);
    down = false;
    expect((await hookline.request('POST', `/v1/deliveries/${delivery.id}/retry`, { key })).status).toBe(202);
    await deliveryWhen(hookline, key, delivery.id, (d) => d.status === 'succeeded', 'the retried delivery');
    await ended(workflowId);
    await record(hookline, 'inline.delivery-retried-after-closing', workflowId);
  });

  it('a held delivery (destination disabled) released by re-enabling it', async () => {
    const { key, destination } = await destinationAnswering(() => ({ status: 200 }), { enabled: false });
    const { eventId, delivery } = await deliveryIn(key, 'held');
    expect((await patch(key, destination.id, { enabled: true })).status).toBe(200);
    await closed(hookline, delivery.workflow_id);
    await record(hookline, `${EVENTS}.event-held`, eventWorkflowId(eventId));
    await record(hookline, 'inline.delivery-held-then-released', delivery.workflow_id);
  });

  it("a delivery queued behind its destination's rate limit at planning, which slept until its turn (wait-for-turn)", async () => {
    const { key } = await destinationAnswering(() => ({ status: 200 }), { rate_limit: { requests: 1, per_seconds: 2, burst: 0 } });
    await deliveryIn(key, 'succeeded', { id: 'c_first' });
    const { delivery } = await deliveryIn(key, 'succeeded', { id: 'c_second' });
    await closed(hookline, delivery.workflow_id);
    await record(hookline, 'inline.delivery-queued-then-succeeded', delivery.workflow_id);
  });

  it("a retry the destination's rate limit queued, which slept until its turn and succeeded (wait-for-turn)", async () => {
    // The inline attempt takes the only token of 3 s and fails; the retry, due 100 ms later, waits for the next token.
    const { key } = await destinationAnswering((_, index) => (index === 0 ? { status: 500 } : { status: 200 }), {
      rate_limit: { requests: 1, per_seconds: 3, burst: 0 },
      max_attempts: 3,
    });
    const { delivery } = await deliveryIn(key, 'succeeded');
    await closed(hookline, delivery.workflow_id);
    await record(hookline, 'inline.delivery-retry-queued-then-succeeded', delivery.workflow_id);
  });

  it('a delivery behind an earlier one of its ordered lane, which looked again after its timer, then woke at the lane-turn signal (wait-for-turn)', async () => {
    // The first event's inline attempt fails; its retry is answered slowly, so the second waits past its first timer.
    const { key } = await destinationAnswering(
      (_, index) => (index === 0 ? { status: 500 } : index === 1 ? { status: 200, delayMs: 2_500 } : { status: 200 }),
      {
        ordering: 'subject',
        max_attempts: 3,
      },
    );
    const first = await postEvent(hookline, key, { type: 'contact.updated', subject: 'c_lane', data: { id: 'c_lane', n: 1 } });
    await eventWhen(hookline, key, first, (e) => e.deliveries[0]?.status === 'delivering', 'the first delivery to retry');
    const second = await postEvent(hookline, key, { type: 'contact.updated', subject: 'c_lane', data: { id: 'c_lane', n: 2 } });
    const event = await eventWhen(hookline, key, second, (e) => e.deliveries.length === 1, 'the second event to have its delivery');
    const delivery = await deliveryWhen(hookline, key, event.deliveries[0].id, (d) => d.status === 'succeeded', 'the second delivery to succeed');
    await closed(hookline, delivery.workflow_id);
    await record(hookline, 'inline.delivery-lane-waited-then-succeeded', delivery.workflow_id);
  });

  it('a coalescing burst of two: the first waited for its window and ended superseded, the second was handed the turn and delivered', async () => {
    const { key } = await destinationAnswering(() => ({ status: 200 }), { ordering: 'subject', coalesce_seconds: 1 });
    const first = await postEvent(hookline, key, { type: 'contact.updated', subject: 'c_burst', data: { id: 'c_burst', n: 1 } });
    const second = await postEvent(hookline, key, { type: 'contact.updated', subject: 'c_burst', data: { id: 'c_burst', n: 2 } });
    const [superseded, delivered] = await Promise.all(
      [first, second].map(async (eventId, index) => {
        const event = await eventWhen(hookline, key, eventId, (e) => e.deliveries.length === 1, `event ${eventId} to have its delivery`);
        const status = index === 0 ? 'superseded' : 'succeeded';
        return deliveryWhen(hookline, key, event.deliveries[0].id, (d) => d.status === status, `delivery of ${eventId} to be ${status}`);
      }),
    );
    await closed(hookline, superseded!.workflow_id);
    await closed(hookline, delivered!.workflow_id);
    await record(hookline, 'inline.delivery-coalesced-then-superseded', superseded!.workflow_id);
    await record(hookline, 'inline.delivery-coalesced-then-handed-the-turn', delivered!.workflow_id);
  });

  it('a test send (POST /v1/destinations/:id/test), attempted inline', async () => {
    const { key, destination } = await destinationAnswering(() => ({ status: 200, body: 'pong' }));
    const sent = await hookline.request('POST', `/v1/destinations/${destination.id}/test`, { key, body: {} });
    expect(sent.body).toMatchObject({ ok: true });
    await closed(hookline, eventWorkflowId(sent.body.event_id));
    await record(hookline, `${EVENTS}.test-send`, eventWorkflowId(sent.body.event_id));
  });
});

describe('recording a delivery that PostgreSQL’s absence interrupted', () => {
  it('a retry that found the database away waited for it and resumed the schedule where it stood (resume-when-unsent)', async () => {
    // The retry is due 3 s after the inline attempt; the worker's database goes away before then, for 4.5 s.
    const stack = await startWithRelayedWorkerDatabase({ HOOKLINE_RETRY_SCHEDULE: '3s', HOOKLINE_RETRY_JITTER: '0' });
    const receiver = await startReceiver((_, index) => (index === 0 ? { status: 500 } : { status: 200 }));
    try {
      const { key } = await stack.api.createWorkspace();
      await makeDestination(stack.api, key, { url: `${receiver.url}/hook`, event_types: ['*'], max_attempts: 2 });
      const eventId = await postEvent(stack.api, key, { type: 'contact.updated', data: { id: 'c_1' } });
      const event = await eventWhen(stack.api, key, eventId, (e) => e.deliveries.length === 1, 'the event planned');
      const deliveryId = event.deliveries[0].id as string;
      await deliveryWhen(stack.api, key, deliveryId, (d) => d.attempts.length === 1, 'the inline attempt recorded');
      await stack.database.cut();
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      await stack.database.restore();
      await deliveryWhen(stack.api, key, deliveryId, (d) => d.status === 'succeeded', 'the resumed attempt to succeed', 60_000);
      await stack.api.temporal.workflow.getHandle(deliveryWorkflowId(deliveryId)).result();
      await record(stack.api, 'inline.delivery-resumed-after-database-outage', deliveryWorkflowId(deliveryId));
    } finally {
      await receiver.close();
      await stack.close();
    }
  }, 120_000);
});
