// The retention schedule: a Temporal Schedule per task queue that starts a purge run every interval, never two at once.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Config } from '../config/config';
import { purgeExpiredWorkflow } from '../workflows/purge.workflow';

/** One schedule per deployment's task queue, so Hooklines sharing a namespace (tests, staging) purge their own databases. */
export function purgeScheduleId(taskQueue: string): string {
  return `hookline-purge-${taskQueue}`;
}

function scheduleOptions(config: Config) {
  return {
    scheduleId: purgeScheduleId(config.temporal.taskQueue),
    spec: { intervals: [{ every: config.retention.purgeIntervalMs }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: purgeExpiredWorkflow,
      workflowId: `purge-${config.temporal.taskQueue}`,
      taskQueue: config.temporal.taskQueue,
      args: [] as [],
    },
    // A run that outlasts the interval (a backlog of millions) is followed by the next, not overlapped.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: config.retention.purgeIntervalMs },
  };
}

/**
 * Every worker calls it at start: the first creates the schedule, the others find it; a changed interval is applied.
 * Its cost is one Temporal action and one short workflow per interval, whatever the volume purged.
 */
export async function ensurePurgeSchedule(temporal: Client, config: Config): Promise<void> {
  const options = scheduleOptions(config);
  try {
    await temporal.schedule.create(options);
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    const handle = temporal.schedule.getHandle(options.scheduleId);
    const current = await handle.describe();
    const every = current.spec.intervals?.[0]?.every;
    if (Number(every) !== config.retention.purgeIntervalMs) {
      await handle.update((previous) => ({ ...previous, spec: options.spec }));
    }
  }
}

/** A purge run now (an operator's "purge now", or a spec that shortened a window): the schedule's own trigger. */
export async function triggerPurge(temporal: Client, config: Config): Promise<void> {
  await temporal.schedule.getHandle(purgeScheduleId(config.temporal.taskQueue)).trigger(ScheduleOverlapPolicy.SKIP);
}
