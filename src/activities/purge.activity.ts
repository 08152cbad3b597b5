// The purge: each workspace's payloads past their window, then its records past theirs, batch by batch, heartbeating where it is so a crash resumes there.
import { performance } from 'node:perf_hooks';
import { Context } from '@temporalio/activity';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import { emptyPurgeTotals, type PurgeProgress, type PurgeTotals } from '../contracts/lifecycle';
import { retentionCutoffs } from '../domain/retention';
import type { WorkerMetrics } from '../observability/worker-metrics';
import { purgePayloads, purgeRecords, workspaceRetentions, type PurgedBatch } from '../store/retention';

export interface PurgeDeps {
  db: Db;
  config: Config;
  now: () => Date;
  metrics?: WorkerMetrics | undefined;
}

function counted(metrics: WorkerMetrics | undefined, kind: 'payload' | 'record', batch: PurgedBatch): void {
  if (!metrics) return;
  for (const table of ['events', 'deliveries', 'attempts'] as const) {
    if (batch.rows[table] > 0) metrics.purgedRows.inc({ table, kind }, batch.rows[table]);
    if (batch.bytes[table] > 0) metrics.purgedBytes.inc({ table, kind }, batch.bytes[table]);
  }
}

/**
 * Batches until one finds nothing: what is left is younger than the window, or still being sent. After each batch it
 * rests in proportion to the time the batch took (HOOKLINE_PURGE_DUTY), so a backlog of millions is worked off over
 * minutes beside live traffic instead of taking a core from it.
 */
async function drain(purge: () => Promise<PurgedBatch>, onBatch: (batch: PurgedBatch) => void, duty: number): Promise<void> {
  for (;;) {
    const started = performance.now();
    const batch = await purge();
    onBatch(batch);
    Context.current().heartbeat();
    if (batch.rows.events === 0) return;
    const restMs = (performance.now() - started) * (1 / duty - 1);
    if (restMs >= 1) await new Promise((resolve) => setTimeout(resolve, restMs));
  }
}

export function createPurgeActivity(deps: PurgeDeps) {
  return async function purgeExpired(): Promise<PurgeTotals> {
    const context = Context.current();
    const resumed = context.info.heartbeatDetails as PurgeProgress | undefined;
    const totals = resumed?.totals ?? emptyPurgeTotals();
    const workspaces = await workspaceRetentions(deps.db);
    const batchSize = deps.config.retention.purgeBatch;
    for (let index = resumed?.nextWorkspaceIndex ?? 0; index < workspaces.length; index++) {
      const workspace = workspaces[index]!;
      const cutoffs = retentionCutoffs(workspace, deps.now());
      await drain(
        () => purgePayloads(deps.db, workspace.workspaceId, cutoffs.payloadBefore, batchSize),
        (batch) => {
          totals.payloads.events += batch.rows.events;
          totals.payloads.attempts += batch.rows.attempts;
          totals.payloads.bytes += batch.bytes.events + batch.bytes.attempts;
          counted(deps.metrics, 'payload', batch);
        },
        deps.config.retention.purgeDuty,
      );
      await drain(
        () => purgeRecords(deps.db, workspace.workspaceId, cutoffs.recordBefore, batchSize),
        (batch) => {
          totals.records.events += batch.rows.events;
          totals.records.deliveries += batch.rows.deliveries;
          totals.records.attempts += batch.rows.attempts;
          totals.records.bytes += batch.bytes.events + batch.bytes.deliveries + batch.bytes.attempts;
          counted(deps.metrics, 'record', batch);
        },
        deps.config.retention.purgeDuty,
      );
      totals.workspaces++;
      const progress: PurgeProgress = { nextWorkspaceIndex: index + 1, totals };
      context.heartbeat(progress);
    }
    return totals;
  };
}
