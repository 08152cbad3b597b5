// The event workflow's decisions, with scripted activities: inline first attempts, which deliveries get a workflow, test sends.
import { defaultPayloadConverter } from '@temporalio/common';
import { deliveryWorkflowId, eventWorkflowId } from '../../src/domain/workflow-ids';
import {
  type DeliveryWorkflowInput,
  type EventPlan,
  type EventWorkflowInput,
  type FirstAttemptVerdict,
  type PlannedDelivery,
} from '../../src/contracts/delivery';
import { deliveryStatusAttribute, destinationIdAttribute } from '../../src/workflows/search-attributes';
import type { deliveryWorkflow } from '../../src/workflows/delivery.workflow';
import type { deliverEventWorkflow } from '../../src/workflows/event.workflow';
import { stubWorkerEnvironment, uniqueId, type StubRun } from './stub-worker';

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
  return run.client.workflow.start<typeof deliverEventWorkflow>('deliverEventWorkflow', {
    taskQueue: run.taskQueue,
    workflowId: eventWorkflowId(input.eventId),
    args: [input],
  });
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
  describe('when planning made the first attempts', () => {
    const succeeded = (): FirstAttemptVerdict => ({ kind: 'done', status: 'succeeded', lastAttempt: summary });

    it('follows each verdict: no attempt of its own, a delivery workflow only for a retry and a held delivery', async () => {
      const input = eventInput();
      const retryVerdict: FirstAttemptVerdict = {
        kind: 'escalate',
        held: false,
        attemptsMade: 1,
        retryInMs: 15,
        lastAttempt: { ...summary, statusCode: 503, retryInMs: 15 },
      };
      const [delivered, retried, held, skipped] = [
        { ...planned('pending', 'dst_a'), verdict: succeeded() },
        { ...planned('pending', 'dst_d'), verdict: retryVerdict },
        planned('held', 'dst_b'),
        planned('skipped', 'dst_c'),
      ];
      const plan: EventPlan = { deliveries: [delivered, retried, held, skipped] };
      await environment.run({ planEventDeliveries: () => plan, attemptDelivery: () => summary }, async (run) => {
        const handle = await startEvent(run, input);
        // The result lists the deliveries; their verdicts are in the planning activity's marker.
        expect(await handle.result()).toEqual({ deliveries: plan.deliveries.map(({ verdict: _verdict, ...delivery }) => delivery) });
        expect(run.callsTo('planEventDeliveries').map((call) => call.input)).toEqual([input]);
        expect(await workflowExists(run, deliveryWorkflowId(delivered.deliveryId))).toBe(false);
        expect(await workflowExists(run, deliveryWorkflowId(skipped.deliveryId))).toBe(false);
        expect(await startInputOf(run, retried.deliveryId)).toMatchObject({ deliveryId: retried.deliveryId, attemptsMade: 1, retryInMs: 15 });
        expect(await startInputOf(run, held.deliveryId)).toMatchObject({ deliveryId: held.deliveryId, held: true });

        const shown = (await handle.describe()).typedSearchAttributes;
        expect(shown.get(destinationIdAttribute)).toEqual(['dst_a', 'dst_d', 'dst_b']);
        expect(shown.get(deliveryStatusAttribute)).toEqual(['succeeded', 'delivering', 'held']);

        await run.client.workflow.getHandle(deliveryWorkflowId(retried.deliveryId)).result();
        // The only attempt the workflow asked for is the retry, in the delivery workflow, after the one planning made.
        expect(run.callsTo('attemptDelivery').map((call) => call.input)).toEqual([
          { deliveryId: retried.deliveryId, workspaceId: 'ws_1', maxAttempts: 4, attemptOffset: 1 },
        ]);
      });
    });

    it('spends one local activity, one marker and one workflow task on an event delivered to five destinations', async () => {
      const input = eventInput();
      const plan: EventPlan = { deliveries: Array.from({ length: 5 }, (_, n) => ({ ...planned('pending', `dst_${n}`), verdict: succeeded() })) };
      await environment.run({ planEventDeliveries: () => plan }, async (run) => {
        const handle = await startEvent(run, input);
        await handle.result();
        const events = (await handle.fetchHistory()).events ?? [];
        expect(events.filter((event) => event.workflowTaskCompletedEventAttributes)).toHaveLength(1);
        expect(events.filter((event) => event.markerRecordedEventAttributes)).toHaveLength(1);
        expect(events.filter((event) => event.upsertWorkflowSearchAttributesEventAttributes)).toHaveLength(1);
        expect(run.calls.map((call) => call.activity)).toEqual(['planEventDeliveries']);
        expect((await handle.describe()).typedSearchAttributes.get(deliveryStatusAttribute)).toEqual(['succeeded']);
      });
    });

    it('answers a test send from its verdict', async () => {
      const input = eventInput({ type: 'webhook.test', test: { destinationId: 'dst_a' } });
      const failedAttempt = { ...summary, statusCode: 503, error: 'HTTP 503' };
      const delivery = {
        ...planned('pending', 'dst_a'),
        maxAttempts: 1,
        verdict: { kind: 'done', status: 'failed', lastAttempt: failedAttempt } as FirstAttemptVerdict,
      };
      await environment.run({ planEventDeliveries: () => ({ deliveries: [delivery] }) }, async (run) => {
        const result = await (await startEvent(run, input)).result();
        expect(result.test).toEqual({ deliveryId: delivery.deliveryId, status: 'failed', lastAttempt: failedAttempt });
        expect(run.calls.map((call) => call.activity)).toEqual(['planEventDeliveries']);
        expect(await workflowExists(run, deliveryWorkflowId(delivery.deliveryId))).toBe(false);
      });
    });

    it('completes without starting anything when nothing matched', async () => {
      const input = eventInput();
      await environment.run({ planEventDeliveries: () => ({ deliveries: [] }) }, async (run) => {
        expect(await (await startEvent(run, input)).result()).toEqual({ deliveries: [] });
        expect(run.calls.map((call) => call.activity)).toEqual(['planEventDeliveries']);
      });
    });

    it('treats a delivery workflow an earlier run already started as in hand', async () => {
      const input = eventInput();
      const delivery = planned('held', 'dst_a');
      await environment.run({ planEventDeliveries: () => ({ deliveries: [delivery] }) }, async (run) => {
        const earlier = await run.client.workflow.start<typeof deliveryWorkflow>('deliveryWorkflow', {
          taskQueue: run.taskQueue,
          workflowId: deliveryWorkflowId(delivery.deliveryId),
          args: [
            {
              deliveryId: delivery.deliveryId,
              workspaceId: 'ws_1',
              destinationId: 'dst_a',
              eventId: input.eventId,
              eventType: input.type,
              maxAttempts: 4,
              timeoutSeconds: 7,
              held: true,
            },
          ],
        });
        expect(await (await startEvent(run, input)).result()).toEqual({ deliveries: [delivery] });
        expect((await run.client.workflow.getHandle(deliveryWorkflowId(delivery.deliveryId)).describe()).runId).toBe(earlier.firstExecutionRunId);
      });
    });
  });

  describe('a test send', () => {
    it('returns without an outcome when its destination was planned as skipped', async () => {
      const input = eventInput({ type: 'webhook.test', test: { destinationId: 'dst_a' } });
      const plan: EventPlan = { deliveries: [planned('skipped', 'dst_a')] };
      await environment.run({ planEventDeliveries: () => plan }, async (run) => {
        expect(await (await startEvent(run, input)).result()).toEqual({ deliveries: plan.deliveries });
        expect(run.calls.map((call) => call.activity)).toEqual(['planEventDeliveries']);
      });
    });
  });
});
