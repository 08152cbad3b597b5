// An erasure job's activities: deleting the subject's Temporal histories (heartbeating as it goes), and recording the job done.
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import type { ErasureInput, ErasureResult } from '../contracts/lifecycle';
import { deleteSubjectWorkflows } from '../orchestration/erasure';
import { completeErasure, findErasure } from '../store/erasures';

export function createErasureActivities(deps: { db: Db; config: Config; temporal: Client; now: () => Date }) {
  return {
    async deleteSubjectHistories(input: ErasureInput): Promise<number> {
      const erasure = await findErasure(deps.db, input.workspaceId, input.erasureId);
      return deleteSubjectWorkflows(deps.temporal, deps.config, input.subjectHash, erasure.created_at, (deleted) => Context.current().heartbeat(deleted));
    },
    async completeErasureJob(input: ErasureInput & { workflowsDeleted: number }): Promise<ErasureResult> {
      await completeErasure(deps.db, input.workspaceId, input.erasureId, input.workflowsDeleted, deps.now());
      const erasure = await findErasure(deps.db, input.workspaceId, input.erasureId);
      return {
        erasureId: erasure.id,
        eventsErased: erasure.events_erased,
        deliveriesCancelled: erasure.deliveries_cancelled,
        workflowsDeleted: erasure.workflows_deleted,
      };
    },
  };
}
