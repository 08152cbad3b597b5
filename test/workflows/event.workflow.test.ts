// The event workflow's decisions, with scripted activities: which planned deliveries get a workflow, and test sends.
import { defaultPayloadConverter } from '@temporalio/common';
import { deliveryWorkflowId, eventWorkflowId } from '../../src/domain/workflow-ids';
import type { DeliveryWorkflowInput, EventPlan, EventWorkflowInput, PlannedDelivery } from '../../src/workflows/contracts';
import type { deliveryWorkflow } from '../../src/workflows/delivery.workflow';
import type { eventWorkflow } from '../../src/workflows/event.workflow';
import { statusReaches, stubWorkerEnvironment, uniqueId, type StubRun } from './stub-worker';

const environment = stubWorkerEnvironment();
beforeAll(() => environment.setUp());
afterAll(() => environment.tearDown());

function eventInput(overrides: Partial<EventWorkflowInput> = {}): EventWorkflowInput {
  return {
    eventId: uniqueId('evt'),
    workspaceId: 'ws_1',
    type: 'contact.updated',
    data: { id: 'c_1' },
    subject: null,
    occurredAt: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:01.000Z',
    idempotencyKey: null,
    ...overrides,
  };
}

const planned = (status: PlannedDelivery['status'], destinationId: string): PlannedDelivery => ({
  deliveryId: uniqueId('dlv'),
  destinationId,
  status,
  maxAttempts: 4,
  timeoutSeconds: 7,
});

const summary = { attemptNumber: 1, statusCode: 200, durationMs: 3, responseExcerpt: 'pong', error: null };

function startEvent(run: StubRun, input: EventWorkflowInput) {
  return run.client.workflow.start<typeof eventWorkflow>('eventWorkflow', { taskQueue: run.taskQueue, workflowId: eventWorkflowId(input.eventId), args: [input] });
}

/** The input a delivery workflow was started with, as its history records it. */
async function startInputOf(run: StubRun, deliveryId: string): Promise<DeliveryWorkflowInput> {
  const history = await run.client.workflow.getHandle(deliveryWorkflowId(deliveryId)).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return defaultPayloadConverter.fromPayload(payload!);
}

async function workflowExists(run: StubRun, workflowId: string): Promise<boolean> {
  try {
    await run.client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError') return false;
    throw error;
  }
}

describe('event workflow', () => {
  it('plans the event, then starts a delivery workflow for each pending and held delivery, never for a skipped one', async () => {
    const input = eventInput();
    const [pending, held, skipped] = [planned('pending', 'dst_a'), planned('held', 'dst_b'), planned('skipped', 'dst_c')];
    const plan: EventPlan = { deliveries: [pending!, held!, skipped!], retryWindowMs: 90_000 };
    await environment.run({ planEventDeliveries: () => plan, attemptDelivery: () => summary }, async (run) => {
      const result = await (await startEvent(run, input)).result();
      expect(result).toEqual({ deliveries: plan.deliveries });
      expect(run.callsTo('planEventDeliveries').map((call) => call.input)).toEqual([input]);

      expect(await startInputOf(run, pending!.deliveryId)).toEqual({
        deliveryId: pending!.deliveryId,
        workspaceId: 'ws_1',
        destinationId: 'dst_a',
        eventId: input.eventId,
        eventType: 'contact.updated',
        maxAttempts: 4,
        timeoutSeconds: 7,
        retryWindowMs: 90_000,
      });
      expect(await startInputOf(run, held!.deliveryId)).toMatchObject({ deliveryId: held!.deliveryId, destinationId: 'dst_b', held: true });
      expect(await workflowExists(run, deliveryWorkflowId(skipped!.deliveryId))).toBe(false);

      // The pending delivery attempts; the held one waits for its release.
      await run.client.workflow.getHandle(deliveryWorkflowId(pending!.deliveryId)).result();
      await statusReaches(run.client.workflow.getHandle(deliveryWorkflowId(held!.deliveryId)), 'held', 'held');
      expect(run.callsTo('attemptDelivery').map((call) => call.input)).toEqual([{ deliveryId: pending!.deliveryId, workspaceId: 'ws_1', maxAttempts: 4 }]);
    });
  });

  it('completes without starting anything when nothing matched', async () => {
    const input = eventInput();
    await environment.run({ planEventDeliveries: () => ({ deliveries: [], retryWindowMs: 90_000 }) }, async (run) => {
      expect(await (await startEvent(run, input)).result()).toEqual({ deliveries: [] });
      expect(run.calls.map((call) => call.activity)).toEqual(['planEventDeliveries']);
    });
  });

  it('treats a delivery workflow an earlier run already started as in hand', async () => {
    const input = eventInput();
    const delivery = planned('held', 'dst_a');
    await environment.run({ planEventDeliveries: () => ({ deliveries: [delivery], retryWindowMs: 90_000 }) }, async (run) => {
      const earlier = await run.client.workflow.start<typeof deliveryWorkflow>('deliveryWorkflow', {
        taskQueue: run.taskQueue,
        workflowId: deliveryWorkflowId(delivery.deliveryId),
        args: [{ deliveryId: delivery.deliveryId, workspaceId: 'ws_1', destinationId: 'dst_a', eventId: input.eventId, eventType: input.type, maxAttempts: 4, timeoutSeconds: 7, retryWindowMs: 90_000, held: true }],
      });
      expect(await (await startEvent(run, input)).result()).toEqual({ deliveries: [delivery] });
      expect((await run.client.workflow.getHandle(deliveryWorkflowId(delivery.deliveryId)).describe()).runId).toBe(earlier.firstExecutionRunId);
    });
  });

  describe('a test send', () => {
    it('runs its one delivery as a child and returns that delivery’s outcome', async () => {
      const input = eventInput({ type: 'webhook.test', test: { destinationId: 'dst_a' } });
      const delivery = planned('pending', 'dst_a');
      const plan: EventPlan = { deliveries: [{ ...delivery, maxAttempts: 1 }], retryWindowMs: 0 };
      await environment.run({ planEventDeliveries: () => plan, attemptDelivery: () => summary }, async (run) => {
        const result = await (await startEvent(run, input)).result();
        expect(result).toEqual({ deliveries: plan.deliveries, test: { deliveryId: delivery.deliveryId, status: 'succeeded', lastAttempt: summary } });
        expect(run.calls.map((call) => [call.activity, call.input])).toEqual([
          ['planEventDeliveries', input],
          ['attemptDelivery', { deliveryId: delivery.deliveryId, workspaceId: 'ws_1', maxAttempts: 1 }],
        ]);
        expect(await startInputOf(run, delivery.deliveryId)).toMatchObject({ maxAttempts: 1, retryWindowMs: 0 });
      });
    });

    it('returns without an outcome when its destination was planned as skipped', async () => {
      const input = eventInput({ type: 'webhook.test', test: { destinationId: 'dst_a' } });
      const plan: EventPlan = { deliveries: [planned('skipped', 'dst_a')], retryWindowMs: 0 };
      await environment.run({ planEventDeliveries: () => plan }, async (run) => {
        expect(await (await startEvent(run, input)).result()).toEqual({ deliveries: plan.deliveries });
        expect(run.calls.map((call) => call.activity)).toEqual(['planEventDeliveries']);
      });
    });
  });
});
