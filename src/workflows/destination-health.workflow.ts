// One long-lived workflow per destination: pauses it after too many consecutive failures and releases held deliveries.
import { condition, continueAsNew, proxyActivities, setDefaultSignalHandler, setHandler, setWorkflowOptions, sleep, workflowInfo } from '@temporalio/workflow';
import type { HooklineActivities } from '../activities/activities';
import {
  changeSignal,
  healthQuery,
  outcomeSignal,
  type HealthChange,
  type HealthState,
  type HealthWorkflowInput,
  type OutcomeReport,
} from '../contracts/health';

const { pauseDestination, wakeWaitingDeliveries, probeDestination } = proxyActivities<HooklineActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

type Signal = { kind: 'outcome'; report: OutcomeReport } | { kind: 'change'; change: HealthChange };

const initialState: HealthState = {
  status: 'active',
  consecutiveFailures: 0,
  version: 0,
  disabledAt: null,
  reason: null,
  autoRecover: false,
  probeMinMs: 60_000,
  probeMaxMs: 3_600_000,
  probes: 0,
};

function pauseReason(report: OutcomeReport): string {
  const last = report.lastError ? `; last error: ${report.lastError}` : '';
  return report.gone
    ? `the receiver answered 410 Gone${last}`
    : `${report.consecutiveFailures} consecutive failed deliveries (threshold ${report.failureThreshold})${last}`;
}

export async function destinationHealthWorkflow(input: HealthWorkflowInput): Promise<void> {
  const state: HealthState = { ...initialState, ...input.state };
  const inbox: Signal[] = [];
  // One handler for both signals: signals that arrived before the first workflow task are handed to it in the
  // order they were sent. Two named handlers would each take theirs when registered: a report sent after a
  // person's `disabled` would be handled before it, and pause a destination that person had turned off.
  setDefaultSignalHandler((name, ...args) => {
    if (name === outcomeSignal.name) inbox.push({ kind: 'outcome', report: args[0] as OutcomeReport });
    else if (name === changeSignal.name) inbox.push({ kind: 'change', change: args[0] as HealthChange });
  });
  setHandler(healthQuery, () => ({
    status: state.status,
    consecutive_failures: state.consecutiveFailures,
    disabled_at: state.disabledAt,
    reason: state.reason,
  }));

  /** Wakes held (and discarded) deliveries in bounded batches, oldest first, one batch a second. */
  const wakeAll = async () => {
    for (;;) {
      const { more } = await wakeWaitingDeliveries({ destinationId: input.destinationId, workspaceId: input.workspaceId });
      if (!more) return;
      await sleep('1s', { summary: 'next batch of held deliveries (HOOKLINE_HELD_RELEASE_RATE a second)' });
    }
  };

  const reactivate = async () => {
    Object.assign(state, { status: 'active', consecutiveFailures: 0, disabledAt: null, reason: null, probes: 0 });
    await wakeAll();
  };

  const handle = async (signal: Signal) => {
    if (signal.kind === 'outcome') {
      const { report } = signal;
      if (report.version <= state.version) return;
      Object.assign(state, { version: report.version, consecutiveFailures: report.consecutiveFailures });
      const tripped = report.gone || report.consecutiveFailures >= report.failureThreshold;
      if (!tripped || state.status !== 'active') return;
      const reason = pauseReason(report);
      const paused = await pauseDestination({
        destinationId: input.destinationId,
        workspaceId: input.workspaceId,
        reason,
        consecutiveFailures: report.consecutiveFailures,
      });
      // The reason stored on the destination is the one reported, whoever paused it first.
      if (paused)
        Object.assign(state, { status: 'auto_disabled', disabledAt: paused.disabledAt, reason: paused.reason ?? reason, probes: 0, ...paused.recovery });
      return;
    }
    switch (signal.change) {
      case 'reenabled':
        return reactivate();
      case 'disabled':
        state.status = 'inactive';
        return;
      case 'discard_held':
        return wakeAll();
      case 'deleted':
        state.status = 'deleted';
        return wakeAll();
    }
  };

  for (;;) {
    const probing = state.status === 'auto_disabled' && state.autoRecover;
    // 1 min, 2, 4 … capped at 1 h by default: quick to notice a short outage, quiet during a long one.
    const probeDelay = Math.min(state.probeMinMs * 2 ** state.probes, state.probeMaxMs);
    let signalled = true;
    if (probing)
      signalled = await condition(() => inbox.length > 0, probeDelay, {
        summary: `recovery probe ${state.probes + 1} (webhook.test) unless a change comes first`,
      });
    else await condition(() => inbox.length > 0);
    if (!signalled) {
      const recovered = await probeDestination({ destinationId: input.destinationId, workspaceId: input.workspaceId });
      if (recovered) await reactivate();
      else state.probes += 1;
    }
    while (inbox.length > 0) await handle(inbox.shift()!);
    if (state.status === 'deleted') return;
    // Signals that arrive while handling stay in the inbox; continue-as-new only once it is empty.
    if (workflowInfo().continueAsNewSuggested && inbox.length === 0) {
      await continueAsNew<typeof destinationHealthWorkflow>({ ...input, state });
    }
  }
}

// One per destination, for as long as the destination exists: it moves to the current build, patched() keeps it compatible.
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, destinationHealthWorkflow);
