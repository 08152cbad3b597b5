// One purge run, started by the retention schedule: every workspace's expired payloads and records, in bounded batches, in one heartbeating activity.
import { proxyActivities, setWorkflowOptions } from '@temporalio/workflow';
import type { HooklineActivities } from '../activities/activities';
import type { PurgeTotals } from '../contracts/lifecycle';

/*
 * The heartbeat timeout is what makes a run survive a worker's crash: a run whose worker died is retried on another
 * (or the restarted) worker within 20 s, from the workspace its last heartbeat named, and nothing done is redone.
 */
const { purgeExpired } = proxyActivities<HooklineActivities>({
  startToCloseTimeout: '6h',
  heartbeatTimeout: '20s',
  retry: { initialInterval: '5s', maximumInterval: '5m' },
});

export async function purgeExpiredWorkflow(): Promise<PurgeTotals> {
  return purgeExpired();
}

// Short-lived: a run finishes on the build that started it.
setWorkflowOptions({ versioningBehavior: 'PINNED' }, purgeExpiredWorkflow);
