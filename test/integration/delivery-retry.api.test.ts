// POST /v1/deliveries/:id/retry: signal-with-start reruns a delivery that failed for good or replays a finished one, and the rules hold.
import type { Client } from '@temporalio/client';
import { deliveryStatusAttribute, destinationIdAttribute } from '../../src/workflows/search-attributes';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { refusal } from './destination-fixtures';
import { deliverOne, deliveryOf, deliveryReaches, destinationFor, readDelivery, sendEvent, type Workspace } from './delivery-fixtures';

const SHORT_RETRIES = { HOOKLINE_RETRY_SCHEDULE: '100ms,100ms', HOOKLINE_RETRY_JITTER: '0' };

/** A receiver that answers 503 until the test fixes it, as an endpoint recovering from an outage would. */
async function outage(): Promise<{ receiver: Receiver; fix(): void }> {
  let down = true;
  const receiver = await startReceiver(() => (down ? { status: 503, body: 'down' } : { status: 200, body: 'back' }));
  return { receiver, fix: () => (down = false) };
}

async function signalsIn(temporal: Client, workflowId: string): Promise<string[]> {
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const name = event.workflowExecutionSignaledEventAttributes?.signalName;
    return name ? [name] : [];
  });
}

const retry = (hookline: HooklineHarness, workspace: Workspace, id: string) => hookline.request('POST', `/v1/deliveries/${id}/retry`, { key: workspace.key });

describe('manual retry', () => {
  let hookline: HooklineHarness;
  let workspace: Workspace;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    hookline = await startHookline(SHORT_RETRIES);
    workspace = await hookline.createWorkspace('retries');
  });

  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await hookline?.close();
  });

  const receiverWith = async (answer: Parameters<typeof startReceiver>[0]) => {
    const receiver = await startReceiver(answer);
    receivers.push(receiver);
    return receiver;
  };

  it('delivers an exhausted delivery once the receiver is fixed, retried the moment the row says failed', async () => {
    const { receiver, fix } = await outage();
    receivers.push(receiver);
    const destination = await destinationFor(hookline, workspace, receiver, { max_attempts: 3 });
    // Retry the moment the row says failed, as a person clicking "retry" would: the signal must not be lost,
    // whether it reaches the workflow before it closes or starts a fresh run after.
    const failed = await deliverOne(hookline, workspace, destination, { id: 'c_1' }, 'failed');
    expect(failed.attempt_count).toBe(3);

    fix();
    const accepted = await retry(hookline, workspace, failed.id);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ delivery_id: failed.id, workflow_id: `delivery-${failed.id}` });

    const delivered = await deliveryReaches(hookline, workspace, failed.id, 'succeeded', 4);
    expect(delivered.last_status_code).toBe(200);
    expect(receiver.requests).toHaveLength(4);
    expect(receiver.requests[3]!.headers['webhook-id']).toBe(failed.id);
    expect(await signalsIn(hookline.temporal, accepted.body.workflow_id)).toEqual(['retry']);
  });

  it('runs the whole schedule again from attempt 1 when the receiver is still down', async () => {
    const { receiver } = await outage();
    receivers.push(receiver);
    const destination = await destinationFor(hookline, workspace, receiver, { max_attempts: 3 });
    const failed = await deliverOne(hookline, workspace, destination, { id: 'c_2' }, 'failed');
    expect((await retry(hookline, workspace, failed.id)).status).toBe(202);
    const again = await deliveryReaches(hookline, workspace, failed.id, 'failed', 6);
    expect(again.attempts).toHaveLength(6);
    expect(receiver.requests).toHaveLength(6);
  });

  it('replays a succeeded delivery in a workflow of its own, with the same webhook-id', async () => {
    const receiver = await receiverWith(() => ({ status: 200, body: 'ok' }));
    const destination = await destinationFor(hookline, workspace, receiver);
    const delivered = await deliverOne(hookline, workspace, destination, { id: 'c_3' }, 'succeeded');
    // Delivered inline by its event's workflow: that is the workflow the row names.
    expect(delivered.workflow_id).toBe(`event-${delivered.event_id}`);

    const accepted = await retry(hookline, workspace, delivered.id);
    expect(accepted.status).toBe(202);
    const replayed = await deliveryReaches(hookline, workspace, delivered.id, 'succeeded', 2);
    expect(replayed.attempts).toHaveLength(2);
    expect(replayed.workflow_id).toBe(accepted.body.workflow_id);
    expect(receiver.requests.map((request) => request.headers['webhook-id'])).toEqual([delivered.id, delivered.id]);
    const replay = await hookline.temporal.workflow.getHandle(accepted.body.workflow_id).describe();
    expect(replay.type).toBe('deliveryWorkflow');
  });

  it('retries a failed test send like any delivery, still as a test', async () => {
    const { receiver, fix } = await outage();
    receivers.push(receiver);
    const destination = await destinationFor(hookline, workspace, receiver);
    const test = await hookline.request('POST', `/v1/destinations/${destination}/test`, { key: workspace.key, body: {} });
    expect(test.body).toMatchObject({ ok: false, status_code: 503 });

    fix();
    expect((await retry(hookline, workspace, test.body.delivery_id)).status).toBe(202);
    const delivered = await deliveryReaches(hookline, workspace, test.body.delivery_id, 'succeeded', 2);
    expect(delivered.is_test).toBe(true);
  });

  describe('refuses what cannot or need not be retried', () => {
    it('answers 409 delivery_in_progress while the first attempt is still out', async () => {
      const receiver = await receiverWith(() => ({ status: 200, delayMs: 3_000 }));
      const destination = await destinationFor(hookline, workspace, receiver);
      const eventId = await sendEvent(hookline, workspace, 'contact.created', { id: 'slow' });
      const delivery = await deliveryOf(hookline, workspace, eventId, destination);
      await receiver.waitForRequests(1);
      expect(refusal(await retry(hookline, workspace, delivery.id))).toEqual({ status: 409, code: 'delivery_in_progress' });
      await deliveryReaches(hookline, workspace, delivery.id, 'succeeded');
    });

    it('answers 409 delivery_held for a delivery held by a paused destination', async () => {
      const receiver = await receiverWith(() => ({ status: 200 }));
      const destination = await destinationFor(hookline, workspace, receiver, { enabled: false });
      const eventId = await sendEvent(hookline, workspace, 'contact.created', { id: 'held' });
      const held = await deliveryOf(hookline, workspace, eventId, destination);
      expect(held.status).toBe('held');
      expect(refusal(await retry(hookline, workspace, held.id))).toEqual({ status: 409, code: 'delivery_held' });
      expect(receiver.requests).toHaveLength(0);
    });

    it('answers 409 delivery_not_retryable for a first_match skip', async () => {
      const receiver = await receiverWith(() => ({ status: 200 }));
      const destination = await destinationFor(hookline, workspace, receiver, { trigger: 'first_match' });
      const first = await sendEvent(hookline, workspace, 'contact.created', { id: 'first' }, 'contact-skip');
      await deliveryReaches(hookline, workspace, (await deliveryOf(hookline, workspace, first, destination)).id, 'succeeded');
      const second = await sendEvent(hookline, workspace, 'contact.updated', { id: 'again' }, 'contact-skip');
      const skipped = await deliveryOf(hookline, workspace, second, destination);
      expect(skipped.status).toBe('skipped');
      expect(refusal(await retry(hookline, workspace, skipped.id))).toEqual({ status: 409, code: 'delivery_not_retryable' });
    });

    it('answers 409 delivery_not_retryable for a delivery cancelled because its destination was deleted', async () => {
      const receiver = await receiverWith(() => ({ status: 503, delayMs: 1_000 }));
      const destination = await destinationFor(hookline, workspace, receiver, { max_attempts: 3 });
      const eventId = await sendEvent(hookline, workspace, 'contact.created', { id: 'doomed' });
      const delivery = await deliveryOf(hookline, workspace, eventId, destination);
      await receiver.waitForRequests(1);
      expect((await hookline.request('DELETE', `/v1/destinations/${destination}`, { key: workspace.key })).status).toBe(204);
      await deliveryReaches(hookline, workspace, delivery.id, 'cancelled');
      expect(refusal(await retry(hookline, workspace, delivery.id))).toEqual({ status: 409, code: 'delivery_not_retryable' });
    });

    it('answers 409 delivery_not_retryable for a failed delivery whose destination was deleted since', async () => {
      const receiver = await receiverWith(() => ({ status: 400 }));
      const destination = await destinationFor(hookline, workspace, receiver);
      const failed = await deliverOne(hookline, workspace, destination, { id: 'gone' }, 'failed');
      await hookline.request('DELETE', `/v1/destinations/${destination}`, { key: workspace.key });
      expect(refusal(await retry(hookline, workspace, failed.id))).toEqual({ status: 409, code: 'delivery_not_retryable' });
      expect(receiver.requests).toHaveLength(1);
    });

    it('answers 409 destination_paused for a failed delivery whose destination was disabled since', async () => {
      const receiver = await receiverWith(() => ({ status: 400 }));
      const destination = await destinationFor(hookline, workspace, receiver);
      const failed = await deliverOne(hookline, workspace, destination, { id: 'paused' }, 'failed');
      await hookline.request('PATCH', `/v1/destinations/${destination}`, { key: workspace.key, body: { enabled: false } });
      expect(refusal(await retry(hookline, workspace, failed.id))).toEqual({ status: 409, code: 'destination_paused' });
      expect((await readDelivery(hookline, workspace, failed.id)).attempt_count).toBe(1);
    });

    it('answers 404 for a delivery id that does not exist', async () => {
      expect(refusal(await retry(hookline, workspace, 'dlv_00000000000000000000000000'))).toEqual({ status: 404, code: 'not_found' });
    });
  });
});

describe('manual retry of a delivery whose workflow closed as failed', () => {
  let hookline: HooklineHarness;
  let workspace: Workspace;
  let receiver: Receiver;
  let fix: () => void;

  beforeAll(async () => {
    hookline = await startHookline(SHORT_RETRIES);
    workspace = await hookline.createWorkspace('late retries');
    ({ receiver, fix } = await outage());
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  it('shows the failure in the Temporal UI, then starts a fresh run for the same delivery row, which delivers and carries the search attributes', async () => {
    const destination = await destinationFor(hookline, workspace, receiver, { max_attempts: 2 });
    const failed = await deliverOne(hookline, workspace, destination, { id: 'c_late' }, 'failed');
    expect(failed.workflow_id).toBe(`delivery-${failed.id}`);
    const handle = hookline.temporal.workflow.getHandle(failed.workflow_id);
    const closed = await eventually(async () => {
      const description = await handle.describe();
      return description.status.name === 'FAILED' ? description : undefined;
    }, 'the delivery workflow to close as failed');
    expect(closed.typedSearchAttributes.get(deliveryStatusAttribute)).toEqual(['failed']);
    const failedRuns: string[] = [];
    for await (const execution of hookline.temporal.workflow.list({ query: `ExecutionStatus="Failed" AND HooklineDestinationId="${destination}"` })) {
      failedRuns.push(execution.workflowId);
    }
    expect(failedRuns).toEqual([failed.workflow_id]);

    fix();
    expect((await retry(hookline, workspace, failed.id)).status).toBe(202);
    const delivered = await deliveryReaches(hookline, workspace, failed.id, 'succeeded', 3);
    expect(delivered.id).toBe(failed.id);
    const fresh = await handle.describe();
    expect(fresh.runId).not.toBe(closed.runId);
    expect(fresh.typedSearchAttributes.get(destinationIdAttribute)).toEqual([destination]);
    expect(await signalsIn(hookline.temporal, failed.workflow_id)).toEqual(['retry']);
    expect(receiver.requests.map((request) => request.headers['webhook-id'])).toEqual([failed.id, failed.id, failed.id]);
  });
});
