// An erasure's durable job: the subject's rows were erased when it was accepted; this deletes its workflow histories from Temporal, twice, and records the count.
import { proxyActivities, setWorkflowOptions, sleep } from '@temporalio/workflow';
import type { HooklineActivities } from '../activities/activities';
import type { ErasureInput, ErasureResult } from '../contracts/lifecycle';

const { deleteSubjectHistories, completeErasureJob } = proxyActivities<HooklineActivities>({
  startToCloseTimeout: '1h',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', maximumInterval: '5m' },
});

/*
 * Visibility is eventually consistent: a workflow started moments before the erasure may be listed only seconds
 * later. A second pass after that settles catches it; the query bounds both to workflows started before the erasure.
 */
const SETTLE_MS = 10_000;

export async function eraseSubjectWorkflow(input: ErasureInput): Promise<ErasureResult> {
  const first = await deleteSubjectHistories(input);
  await sleep(SETTLE_MS);
  const second = await deleteSubjectHistories(input);
  return completeErasureJob({ ...input, workflowsDeleted: first + second });
}

setWorkflowOptions({ versioningBehavior: 'PINNED' }, eraseSubjectWorkflow);
