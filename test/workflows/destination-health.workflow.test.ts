// The destination health workflow's decisions, with scripted activities: streaks, pauses, releases, probes, deletion.
import type { WorkflowHandle } from '@temporalio/client';
import { healthWorkflowId } from '../../src/domain/workflow-ids';
import { destinationHealthWorkflow } from '../../src/workflows/destination-health.workflow';
import { changeSignal, healthQuery, outcomeSignal, type HealthChange, type HealthSnapshot, type OutcomeReport } from '../../src/contracts/health';
import { eventually } from '../support/hookline-harness';
import { stubWorkerEnvironment, uniqueId, type ActivityScript, type StubRun } from './stub-worker';

const environment = stubWorkerEnvironment();
beforeAll(() => environment.setUp());
afterAll(() => environment.tearDown());

const DISABLED_AT = '2026-01-01T00:00:00.000Z';
const noRecovery = { autoRecover: false, probeMinMs: 60_000, probeMaxMs: 3_600_000 };

const failed = (version: number, consecutiveFailures: number, failureThreshold = 3): OutcomeReport => ({
  version,
  consecutiveFailures,
  failureThreshold,
  lastError: 'HTTP 500',
  gone: false,
});

interface Health {
  handle: WorkflowHandle<typeof destinationHealthWorkflow>;
  destinationId: string;
  report(report: OutcomeReport): Promise<void>;
  change(change: HealthChange): Promise<void>;
  snapshot(): Promise<HealthSnapshot>;
  /** Waits until the workflow's own view matches `expected`. */
  reaches(expected: Partial<HealthSnapshot>, what: string): Promise<HealthSnapshot>;
}

async function startHealth(run: StubRun): Promise<Health> {
  const destinationId = uniqueId('dst');
  const handle = await run.client.workflow.start(destinationHealthWorkflow, {
    taskQueue: run.taskQueue,
    workflowId: healthWorkflowId(destinationId),
    args: [{ destinationId, workspaceId: 'ws_1' }],
  });
  const snapshot = () => handle.query(healthQuery);
  return {
    handle,
    destinationId,
    report: (report) => handle.signal(outcomeSignal, report),
    change: (change) => handle.signal(changeSignal, change),
    snapshot,
    reaches: (expected, what) =>
      eventually(async () => {
        const now = await snapshot();
        return Object.entries(expected).every(([key, value]) => now[key as keyof HealthSnapshot] === value) ? now : undefined;
      }, what),
  };
}

/** Signals are handled in the order they were sent: once the query shows the last report, the ones before were handled too. */
async function reportAll(health: Health, reports: OutcomeReport[]): Promise<void> {
  for (const report of reports) await health.report(report);
}

const pausing: ActivityScript = { pauseDestination: (input) => ({ disabledAt: DISABLED_AT, reason: input.reason, recovery: noRecovery }) };

describe('destination health workflow', () => {
  it('does nothing while the streak stays below the threshold', async () => {
    await environment.run(pausing, async (run) => {
      const health = await startHealth(run);
      await reportAll(health, [failed(1, 1), failed(2, 2)]);
      await health.reaches({ consecutive_failures: 2 }, 'two failures counted');
      expect(await health.snapshot()).toEqual({ status: 'active', consecutive_failures: 2, disabled_at: null, reason: null });
      expect(run.calls).toEqual([]);
    });
  });

  it('pauses the destination once when the streak reaches the threshold, and not again as it grows', async () => {
    await environment.run(pausing, async (run) => {
      const health = await startHealth(run);
      await reportAll(health, [failed(1, 1), failed(2, 2), failed(3, 3), failed(4, 4)]);
      await health.reaches({ consecutive_failures: 4 }, 'four failures counted');
      const reason = '3 consecutive failed deliveries (threshold 3); last error: HTTP 500';
      expect(await health.snapshot()).toEqual({ status: 'auto_disabled', consecutive_failures: 4, disabled_at: DISABLED_AT, reason });
      expect(run.calls.map((call) => [call.activity, call.input])).toEqual([
        ['pauseDestination', { destinationId: health.destinationId, workspaceId: 'ws_1', reason, consecutiveFailures: 3 }],
      ]);
    });
  });

  it('pauses at once on a 410 Gone, whatever the count', async () => {
    await environment.run(pausing, async (run) => {
      const health = await startHealth(run);
      await health.report({ ...failed(1, 1), lastError: 'HTTP 410', gone: true });
      await health.reaches({ status: 'auto_disabled' }, 'paused');
      expect(run.callsTo('pauseDestination').map((call) => call.input)).toEqual([
        { destinationId: health.destinationId, workspaceId: 'ws_1', reason: 'the receiver answered 410 Gone; last error: HTTP 410', consecutiveFailures: 1 },
      ]);
    });
  });

  it('ignores a report older than the last one it handled, even one over the threshold', async () => {
    await environment.run(pausing, async (run) => {
      const health = await startHealth(run);
      // A success (version 5, streak 0) was committed after the failure at version 4, whose report arrives late.
      await reportAll(health, [failed(5, 0), failed(4, 3), failed(6, 1)]);
      await health.reaches({ consecutive_failures: 1 }, 'the newer report handled');
      expect(await health.snapshot()).toMatchObject({ status: 'active', consecutive_failures: 1 });
      expect(run.calls).toEqual([]);
    });
  });

  it('does not pause a destination a person disabled', async () => {
    await environment.run(pausing, async (run) => {
      const health = await startHealth(run);
      await health.change('disabled');
      await reportAll(health, [failed(1, 3), failed(2, 4)]);
      await health.reaches({ consecutive_failures: 4 }, 'the reports handled');
      expect(await health.snapshot()).toMatchObject({ status: 'inactive' });
      expect(run.calls).toEqual([]);
    });
  });

  it('on re-enable, reactivates and wakes held deliveries batch after batch while there are more', async () => {
    const batches = [
      { woken: 50, more: true },
      { woken: 50, more: true },
      { woken: 3, more: false },
    ];
    const script: ActivityScript = { ...pausing, wakeWaitingDeliveries: () => batches.shift()! };
    await environment.run(script, async (run) => {
      const health = await startHealth(run);
      await reportAll(health, [failed(1, 3)]);
      await health.reaches({ status: 'auto_disabled' }, 'paused');

      await health.change('reenabled');
      await eventually(async () => (run.callsTo('wakeWaitingDeliveries').length === 3 ? true : undefined), 'three release batches');
      expect(await health.snapshot()).toEqual({ status: 'active', consecutive_failures: 0, disabled_at: null, reason: null });
      expect(run.calls.map((call) => [call.activity, call.input])).toEqual([
        ['pauseDestination', expect.objectContaining({ consecutiveFailures: 3 })],
        ['wakeWaitingDeliveries', { destinationId: health.destinationId, workspaceId: 'ws_1' }],
        ['wakeWaitingDeliveries', { destinationId: health.destinationId, workspaceId: 'ws_1' }],
        ['wakeWaitingDeliveries', { destinationId: health.destinationId, workspaceId: 'ws_1' }],
      ]);
    });
  });

  it('wakes discarded deliveries (so they end cancelled) without changing the status', async () => {
    await environment.run({ ...pausing, wakeWaitingDeliveries: () => ({ woken: 2, more: false }) }, async (run) => {
      const health = await startHealth(run);
      await reportAll(health, [failed(1, 3)]);
      await health.reaches({ status: 'auto_disabled' }, 'paused');
      await health.change('discard_held');
      await eventually(async () => (run.callsTo('wakeWaitingDeliveries').length === 1 ? true : undefined), 'one release batch');
      expect(await health.snapshot()).toMatchObject({ status: 'auto_disabled' });
    });
  });

  it('with auto-recover, probes after probeMinMs, probes again after a failed probe, and reactivates on a successful one', async () => {
    const probes = [false, true];
    const script: ActivityScript = {
      pauseDestination: (input) => ({ disabledAt: DISABLED_AT, reason: input.reason, recovery: { autoRecover: true, probeMinMs: 20, probeMaxMs: 100 } }),
      probeDestination: () => probes.shift()!,
      wakeWaitingDeliveries: () => ({ woken: 1, more: false }),
    };
    await environment.run(script, async (run) => {
      const health = await startHealth(run);
      await reportAll(health, [failed(1, 3)]);
      await eventually(async () => (run.callsTo('wakeWaitingDeliveries').length === 1 ? true : undefined), 'the release after recovery');
      expect(await health.snapshot()).toEqual({ status: 'active', consecutive_failures: 0, disabled_at: null, reason: null });
      expect(run.calls.map((call) => [call.activity, call.input])).toEqual([
        ['pauseDestination', expect.objectContaining({ destinationId: health.destinationId })],
        ['probeDestination', { destinationId: health.destinationId, workspaceId: 'ws_1' }],
        ['probeDestination', { destinationId: health.destinationId, workspaceId: 'ws_1' }],
        ['wakeWaitingDeliveries', { destinationId: health.destinationId, workspaceId: 'ws_1' }],
      ]);
    });
  });

  it('ends when the destination is deleted, after waking what it held', async () => {
    await environment.run({ wakeWaitingDeliveries: () => ({ woken: 1, more: false }) }, async (run) => {
      const health = await startHealth(run);
      await health.change('deleted');
      await expect(health.handle.result()).resolves.toBeUndefined();
      expect(run.calls.map((call) => call.activity)).toEqual(['wakeWaitingDeliveries']);
    });
  });
});
