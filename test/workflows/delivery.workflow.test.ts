// The delivery workflow's decisions, with scripted activities: attempts, retries, closing as failed, holds and cancellation.
import { WorkflowIdReusePolicy } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { DeliveryStatus } from '../../src/domain/delivery';
import type { AttemptSummary, DeliveryWorkflowInput } from '../../src/contracts/delivery';
import { FailureType, releaseSignal, retrySignal } from '../../src/contracts/delivery';
import type { deliveryWorkflow } from '../../src/workflows/delivery.workflow';
import { statusReaches, stubWorkerEnvironment, uniqueId, type StubRun } from './stub-worker';

/** markDelivery answers what it wrote, as the real activity does. */
const marked = (input: { deliveryId: string; status: DeliveryStatus }) => ({ deliveryId: input.deliveryId, status: input.status });

const environment = stubWorkerEnvironment();
beforeAll(() => environment.setUp());
afterAll(() => environment.tearDown());

function deliveryInput(overrides: Partial<DeliveryWorkflowInput> = {}): DeliveryWorkflowInput {
  return {
    deliveryId: uniqueId('dlv'),
    workspaceId: 'ws_1',
    destinationId: 'dst_1',
    eventId: 'evt_1',
    eventType: 'contact.updated',
    maxAttempts: 3,
    timeoutSeconds: 5,
    retryWindowMs: 60_000,
    ...overrides,
  };
}

const summary = (attemptNumber: number, statusCode = 200): AttemptSummary => ({ attemptNumber, statusCode, durationMs: 3, responseExcerpt: 'ok', error: null });

/** As the attempt activity fails: typed, with the attempt's summary as detail, and its own retry delay. */
const failure = (type: string, attemptNumber: number, message = `${type} on attempt ${attemptNumber}`) =>
  ApplicationFailure.create({
    message,
    type,
    details: [{ ...summary(attemptNumber, 503), error: message }],
    nonRetryable: type !== FailureType.Retryable,
    ...(type === FailureType.Retryable ? { nextRetryDelay: '10ms' } : {}),
  });

function startDelivery(run: StubRun, input: DeliveryWorkflowInput) {
  return run.client.workflow.start<typeof deliveryWorkflow>('deliveryWorkflow', {
    taskQueue: run.taskQueue,
    workflowId: `delivery-${input.deliveryId}`,
    args: [input],
  });
}

const activities = (run: StubRun) => run.calls.map((call) => call.activity);

describe('delivery workflow', () => {
  it('succeeds with the summary of an attempt that succeeds first time', async () => {
    const input = deliveryInput();
    await environment.run({ attemptDelivery: () => summary(1) }, async (run) => {
      const result = await (await startDelivery(run, input)).result();
      expect(result).toEqual({ deliveryId: input.deliveryId, status: 'succeeded', lastAttempt: summary(1) });
      expect(run.calls).toEqual([{ activity: 'attemptDelivery', input: { deliveryId: input.deliveryId, workspaceId: 'ws_1', maxAttempts: 3 }, attempt: 1 }]);
    });
  });

  it('lets Temporal retry retryable failures and succeeds on a later attempt, without marking anything', async () => {
    const input = deliveryInput();
    const script = {
      attemptDelivery: (_: unknown, attempt: number) => (attempt < 3 ? Promise.reject(failure(FailureType.Retryable, attempt)) : summary(attempt)),
    };
    await environment.run(script, async (run) => {
      const result = await (await startDelivery(run, input)).result();
      expect(result).toMatchObject({ status: 'succeeded', lastAttempt: summary(3) });
      expect(run.calls.map(({ activity, attempt }) => [activity, attempt])).toEqual([
        ['attemptDelivery', 1],
        ['attemptDelivery', 2],
        ['attemptDelivery', 3],
      ]);
    });
  });

  it('closes as failed when the attempt recorded its failure for good, and a retry by signal-with-start runs the schedule again in a new run', async () => {
    const input = deliveryInput();
    let runs = 0;
    const script = {
      attemptDelivery: () => (++runs === 1 ? Promise.reject(failure(FailureType.Permanent, 1, 'HTTP 400')) : summary(2)),
      markDelivery: marked,
    };
    await environment.run(script, async (run) => {
      const handle = await startDelivery(run, input);
      await expect(handle.result()).rejects.toMatchObject({ cause: { type: FailureType.DeliveryFailed, message: 'HTTP 400' } });
      const closed = await handle.describe();
      expect(closed.status.name).toBe('FAILED');
      // The attempt wrote `failed` itself: no second write.
      expect(activities(run)).toEqual(['attemptDelivery']);

      const retried = await run.client.workflow.signalWithStart<typeof deliveryWorkflow, []>('deliveryWorkflow', {
        taskQueue: run.taskQueue,
        workflowId: handle.workflowId,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        signal: retrySignal,
        signalArgs: [],
        args: [input],
      });
      expect(await retried.result()).toMatchObject({ status: 'succeeded', lastAttempt: summary(2) });
      expect((await retried.describe()).runId).not.toBe(closed.runId);
      expect(run.calls.map(({ activity, input }) => [activity, input])).toEqual([
        ['attemptDelivery', { deliveryId: input.deliveryId, workspaceId: 'ws_1', maxAttempts: 3 }],
        ['attemptDelivery', { deliveryId: input.deliveryId, workspaceId: 'ws_1', maxAttempts: 3 }],
      ]);
    });
  });

  it('runs the schedule once in a run that a retry started, and closes failed again if the receiver is still down', async () => {
    const input = deliveryInput({ maxAttempts: 2 });
    const script = { attemptDelivery: (_: unknown, attempt: number) => Promise.reject(failure(FailureType.Retryable, attempt)) };
    await environment.run(script, async (run) => {
      const started = await run.client.workflow.signalWithStart<typeof deliveryWorkflow, []>('deliveryWorkflow', {
        taskQueue: run.taskQueue,
        workflowId: `delivery-${input.deliveryId}`,
        signal: retrySignal,
        signalArgs: [],
        args: [input],
      });
      await expect(started.result()).rejects.toMatchObject({ cause: { type: FailureType.DeliveryFailed } });
      expect(run.calls.map(({ activity, attempt }) => [activity, attempt])).toEqual([
        ['attemptDelivery', 1],
        ['attemptDelivery', 2],
      ]);
    });
  });

  it('marks failed what the attempt could not record (a worker or database failure) before it closes as failed', async () => {
    const input = deliveryInput({ maxAttempts: 2 });
    const script = { attemptDelivery: () => Promise.reject(new Error('connection terminated')), markDelivery: marked };
    await environment.run(script, async (run) => {
      await expect((await startDelivery(run, input)).result()).rejects.toMatchObject({ cause: { type: FailureType.DeliveryFailed } });
      expect(run.calls.map(({ activity, attempt }) => [activity, attempt])).toEqual([
        ['attemptDelivery', 1],
        ['attemptDelivery', 2],
        ['markDelivery', 1],
      ]);
      expect(run.callsTo('markDelivery')[0]!.input).toEqual({
        deliveryId: input.deliveryId,
        workspaceId: 'ws_1',
        status: 'failed',
        error: 'connection terminated',
      });
    });
  });

  it('resumes the schedule where it stood when the database kept an attempt from recording: the receiver’s attempts are not used up', async () => {
    const input = deliveryInput({ maxAttempts: 3 });
    const unsent = (attemptsMade: number) =>
      ApplicationFailure.create({ type: FailureType.Unsent, nonRetryable: true, message: 'database unavailable', details: [{ attemptsMade }] });
    let calls = 0;
    // The receiver fails attempt 1; attempt 2's try finds PostgreSQL away, twice; then attempts 2 and 3 reach the receiver.
    const script = {
      attemptDelivery: () => {
        calls += 1;
        if (calls === 1) return Promise.reject(failure(FailureType.Retryable, 1));
        if (calls <= 3) return Promise.reject(unsent(1));
        if (calls === 4) return Promise.reject(failure(FailureType.Retryable, 2));
        return summary(3);
      },
    };
    await environment.run(script, async (run) => {
      expect(await (await startDelivery(run, input)).result()).toMatchObject({ status: 'succeeded', lastAttempt: summary(3) });
      expect(run.calls.map(({ input, attempt }) => [(input as { attemptOffset?: number }).attemptOffset ?? 0, attempt])).toEqual([
        [0, 1],
        [0, 2],
        [1, 1],
        [1, 1],
        [1, 2],
      ]);
    });
  });

  it('continues the schedule after the event workflow’s inline first attempt: waits the delay it named, then attempts with the offset', async () => {
    const input = deliveryInput({ maxAttempts: 3, attemptsMade: 1, retryInMs: 20 });
    const script = {
      attemptDelivery: (_: unknown, attempt: number) => (attempt < 2 ? Promise.reject(failure(FailureType.Retryable, attempt)) : summary(attempt + 1)),
    };
    await environment.run(script, async (run) => {
      const handle = await startDelivery(run, input);
      expect(await handle.result()).toMatchObject({ status: 'succeeded', lastAttempt: summary(3) });
      // Attempt 1 was the event workflow's: Temporal retries the two that remain, each told where it stands.
      expect(run.calls.map(({ input, attempt }) => [input, attempt])).toEqual([
        [{ deliveryId: input.deliveryId, workspaceId: 'ws_1', maxAttempts: 3, attemptOffset: 1 }, 1],
        [{ deliveryId: input.deliveryId, workspaceId: 'ws_1', maxAttempts: 3, attemptOffset: 1 }, 2],
      ]);
      const history = await handle.fetchHistory();
      const timer = history.events?.find((event) => event.timerStartedEventAttributes)?.timerStartedEventAttributes;
      expect(Number(timer?.startToFireTimeout?.nanos ?? 0) / 1e6 + Number(timer?.startToFireTimeout?.seconds ?? 0) * 1000).toBe(20);
    });
  });

  it('completes failed at once when it has no retry window (a test send)', async () => {
    const input = deliveryInput({ maxAttempts: 1, retryWindowMs: 0 });
    const script = { attemptDelivery: () => Promise.reject(failure(FailureType.Permanent, 1)), markDelivery: marked };
    await environment.run(script, async (run) => {
      expect(await (await startDelivery(run, input)).result()).toMatchObject({ status: 'failed' });
      expect(activities(run)).toEqual(['attemptDelivery', 'markDelivery']);
    });
  });

  it('waits, attempting nothing, while held, and attempts once released', async () => {
    const input = deliveryInput({ held: true });
    await environment.run({ attemptDelivery: () => summary(1) }, async (run) => {
      const handle = await startDelivery(run, input);
      await statusReaches(handle, 'held', 'held');
      expect(run.calls).toEqual([]);

      await handle.signal(releaseSignal);
      expect(await handle.result()).toMatchObject({ status: 'succeeded' });
      expect(activities(run)).toEqual(['attemptDelivery']);
    });
  });

  it('holds when an attempt finds the destination paused, and attempts again once released', async () => {
    const input = deliveryInput();
    let runs = 0;
    const script = { attemptDelivery: () => (++runs === 1 ? Promise.reject(failure(FailureType.Paused, 1)) : summary(2)) };
    await environment.run(script, async (run) => {
      const handle = await startDelivery(run, input);
      await statusReaches(handle, 'held', 'held after the paused attempt');
      expect(activities(run)).toEqual(['attemptDelivery']);

      await handle.signal(releaseSignal);
      expect(await handle.result()).toMatchObject({ status: 'succeeded', lastAttempt: summary(2) });
      // Paused is no failure: nothing is marked, and the release starts a fresh attempt.
      expect(activities(run)).toEqual(['attemptDelivery', 'attemptDelivery']);
    });
  });

  it('ends cancelled, marking nothing, when the attempt says the delivery was cancelled', async () => {
    const input = deliveryInput();
    await environment.run({ attemptDelivery: () => Promise.reject(failure(FailureType.Cancelled, 1, 'discarded while held')) }, async (run) => {
      const result = await (await startDelivery(run, input)).result();
      expect(result).toEqual({ deliveryId: input.deliveryId, status: 'cancelled', lastAttempt: { ...summary(1, 503), error: 'discarded while held' } });
      expect(activities(run)).toEqual(['attemptDelivery']);
    });
  });
});
