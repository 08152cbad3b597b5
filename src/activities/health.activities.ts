// The health workflow's I/O: pause a destination (and say so as an event), wake held deliveries, probe for recovery.
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import { deliveryInputFor, signalDeliveryWorkflow } from '../orchestration/delivery-signals';
import { startEvent } from '../orchestration/start-event';
import { RELEASE_SIGNAL, type DeliveryWorkflowResult, type EventWorkflowResult } from '../workflows/contracts';
import { AUTO_DISABLED_EVENT } from '../workflows/health.contracts';

export interface HealthActivityDeps {
  db: Db;
  config: Config;
  temporal: Client;
  now: () => Date;
}

export interface PauseResult {
  disabledAt: string;
  recovery: { autoRecover: boolean; probeMinMs: number; probeMaxMs: number };
}

export function createHealthActivities(deps: HealthActivityDeps) {
  const { db, config, temporal } = deps;

  /** Emits webhook.auto_disabled into the workspace; keyed by the pause time, so a retried activity emits it once. */
  async function announcePause(row: { id: string; workspace_id: string; name: string; auto_disabled_at: Date; auto_disabled_reason: string | null }, consecutiveFailures: number) {
    const disabledAt = row.auto_disabled_at.toISOString();
    await startEvent(
      temporal,
      config,
      {
        workspaceId: row.workspace_id,
        type: AUTO_DISABLED_EVENT,
        data: { destination_id: row.id, destination_name: row.name, reason: row.auto_disabled_reason, consecutive_failures: consecutiveFailures, disabled_at: disabledAt },
        subject: row.id,
        occurredAt: row.auto_disabled_at,
        idempotencyKey: `${AUTO_DISABLED_EVENT}:${row.id}:${disabledAt}`,
      },
      deps.now(),
    );
  }

  return {
    async pauseDestination(input: { destinationId: string; workspaceId: string; reason: string; consecutiveFailures: number }): Promise<PauseResult | null> {
      const now = deps.now();
      await db
        .updateTable('destinations')
        .set({ auto_disabled_at: now, auto_disabled_reason: input.reason, updated_at: now })
        .where('id', '=', input.destinationId)
        .where('auto_disabled_at', 'is', null)
        .where('enabled', '=', true)
        .where('deleted_at', 'is', null)
        .execute();
      // Read back rather than trusting the update's count: a retry after a committed pause must still announce it.
      const row = await db
        .selectFrom('destinations')
        .select(['id', 'workspace_id', 'name', 'auto_disabled_at', 'auto_disabled_reason', 'auto_recover', 'deleted_at'])
        .where('id', '=', input.destinationId)
        .executeTakeFirst();
      if (!row || row.deleted_at !== null || row.auto_disabled_at === null) return null;
      await announcePause({ ...row, auto_disabled_at: row.auto_disabled_at }, input.consecutiveFailures);
      return {
        disabledAt: row.auto_disabled_at.toISOString(),
        recovery: { autoRecover: row.auto_recover, probeMinMs: config.health.probeMinMs, probeMaxMs: config.health.probeMaxMs },
      };
    },

    /**
     * Wakes the oldest waiting deliveries (held, or held and then discarded) up to the release rate. Signals go
     * out before the rows change, so a crash in between re-signals (harmless) rather than strands a delivery.
     */
    async wakeWaitingDeliveries(input: { destinationId: string }): Promise<{ woken: number; more: boolean }> {
      const limit = config.health.releaseRatePerSecond;
      const rows = await db
        .selectFrom('deliveries as dl')
        .innerJoin('destinations as d', 'd.id', 'dl.destination_id')
        .select(['dl.id', 'dl.workspace_id', 'dl.destination_id', 'dl.event_id', 'dl.event_type', 'dl.status', 'dl.workflow_id', 'dl.is_test', 'd.max_attempts', 'd.timeout_seconds'])
        .where('dl.destination_id', '=', input.destinationId)
        .where('dl.status', 'in', ['held', 'cancelled'])
        .where('dl.completed_at', 'is', null)
        .orderBy('dl.created_at')
        .orderBy('dl.id')
        .limit(limit)
        .execute();
      // One after another, so the workflows wake (and their attempts start) oldest first.
      for (const row of rows) {
        await signalDeliveryWorkflow(temporal, config.temporal.taskQueue, {
          workflowId: row.workflow_id,
          signal: RELEASE_SIGNAL,
          input: deliveryInputFor(row, config),
        });
      }
      if (rows.length > 0) {
        await db
          .updateTable('deliveries')
          .set({
            status: sql`case when status = 'held' then 'pending' else status end`,
            completed_at: sql`case when status = 'cancelled' then ${deps.now()}::timestamptz else completed_at end`,
            updated_at: deps.now(),
          })
          .where('id', 'in', rows.map((row) => row.id))
          .execute();
      }
      return { woken: rows.length, more: rows.length === limit };
    },

    /** Sends webhook.test through the ordinary test path; a success re-enables the destination. */
    async probeDestination(input: { destinationId: string; workspaceId: string }): Promise<boolean> {
      const example = await db
        .selectFrom('event_types')
        .select('example')
        .where('workspace_id', '=', input.workspaceId)
        .where('name', '=', 'webhook.test')
        .executeTakeFirst();
      const started = await startEvent(
        temporal,
        config,
        {
          workspaceId: input.workspaceId,
          type: 'webhook.test',
          data: example?.example ?? { message: 'Hookline recovery probe' },
          subject: null,
          occurredAt: null,
          idempotencyKey: null,
          test: { destinationId: input.destinationId },
        },
        deps.now(),
      );
      const result = await temporal.workflow.getHandle<() => Promise<EventWorkflowResult>>(started.workflowId).result();
      const outcome: DeliveryWorkflowResult | undefined = result.test;
      if (outcome?.status !== 'succeeded') return false;
      const reenabled = await db
        .updateTable('destinations')
        .set({ auto_disabled_at: null, auto_disabled_reason: null, consecutive_failures: 0, health_version: sql`health_version + 1`, updated_at: deps.now() })
        .where('id', '=', input.destinationId)
        .where('auto_disabled_at', 'is not', null)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return reenabled.numUpdatedRows > 0n;
    },
  };
}
