// The health workflow's I/O: pause a destination (and say so as an event), wake held deliveries, probe for recovery.
import type { Client } from '@temporalio/client';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import { AUTO_DISABLED_EVENT, exampleData, TEST_EVENT_TYPE } from '../domain/event-catalog';
import { releaseDelivery } from '../orchestration/delivery-signals';
import { acceptedEvent } from '../domain/incoming-event';
import { sendTestEvent } from '../orchestration/test-send';
import { acceptEvent } from '../store/event-outbox';
import { liftAutoDisable, pauseDestination } from '../store/destinations';
import { markWoken, waitingDeliveries } from '../store/deliveries';
import { findEventType } from '../store/event-types';

export interface HealthActivityDeps {
  db: Db;
  config: Config;
  temporal: Client;
  now: () => Date;
}

export interface PauseResult {
  disabledAt: string;
  /** The reason stored on the destination, which the workflow reports as its own. */
  reason: string | null;
  recovery: { autoRecover: boolean; probeMinMs: number; probeMaxMs: number };
}

// A probe is one attempt; this bounds the wait well inside the activity's own start-to-close timeout.
const PROBE_WAIT_MS = 90_000;

export function createHealthActivities(deps: HealthActivityDeps) {
  const { db, config, temporal } = deps;

  /** Emits webhook.auto_disabled into the workspace; keyed by the pause time, so a retried activity emits it once. */
  async function announcePause(
    row: { id: string; workspace_id: string; name: string; auto_disabled_at: Date; auto_disabled_reason: string | null },
    consecutiveFailures: number,
  ) {
    const disabledAt = row.auto_disabled_at.toISOString();
    const event = acceptedEvent(
      {
        workspaceId: row.workspace_id,
        type: AUTO_DISABLED_EVENT,
        data: {
          destination_id: row.id,
          destination_name: row.name,
          reason: row.auto_disabled_reason,
          consecutive_failures: consecutiveFailures,
          disabled_at: disabledAt,
        },
        subject: row.id,
        occurredAt: row.auto_disabled_at,
        idempotencyKey: `${AUTO_DISABLED_EVENT}:${row.id}:${disabledAt}`,
      },
      deps.now(),
    );
    // Through the outbox like any event: committed here, started by a relay, so a Temporal hiccup cannot lose it.
    await acceptEvent(db, { event, taskQueue: config.temporal.taskQueue, fingerprint: null });
  }

  return {
    async pauseDestination(input: { destinationId: string; workspaceId: string; reason: string; consecutiveFailures: number }): Promise<PauseResult | null> {
      // Read back rather than trusting the update's count: a retry after a committed pause must still announce it.
      const row = await pauseDestination(db, input.workspaceId, input.destinationId, input.reason, deps.now());
      if (!row || row.deleted_at !== null || row.auto_disabled_at === null) return null;
      await announcePause({ ...row, auto_disabled_at: row.auto_disabled_at }, input.consecutiveFailures);
      return {
        disabledAt: row.auto_disabled_at.toISOString(),
        reason: row.auto_disabled_reason,
        recovery: { autoRecover: row.auto_recover, probeMinMs: config.health.probeMinMs, probeMaxMs: config.health.probeMaxMs },
      };
    },

    /**
     * Wakes the oldest waiting deliveries (held, or held and then discarded) up to the release rate. Signals go
     * out before the rows change, so a crash in between re-signals (harmless) rather than strands a delivery.
     */
    async wakeWaitingDeliveries(input: { destinationId: string; workspaceId?: string }): Promise<{ woken: number; more: boolean }> {
      const limit = config.health.releaseRatePerSecond;
      const rows = await waitingDeliveries(db, input.workspaceId, input.destinationId, limit);
      // One after another, so the workflows wake (and their attempts start) oldest first.
      for (const row of rows) await releaseDelivery(temporal, config, row);
      await markWoken(
        db,
        input.workspaceId,
        rows.map((row) => row.id),
        deps.now(),
      );
      return { woken: rows.length, more: rows.length === limit };
    },

    /** Sends webhook.test through the ordinary test path; a success re-enables the destination. */
    async probeDestination(input: { destinationId: string; workspaceId: string }): Promise<boolean> {
      const registered = await findEventType(db, input.workspaceId, TEST_EVENT_TYPE);
      const { outcome } = await sendTestEvent(
        { db, temporal, config },
        {
          workspaceId: input.workspaceId,
          type: TEST_EVENT_TYPE,
          data: exampleData(TEST_EVENT_TYPE, registered?.example),
          subject: null,
          occurredAt: null,
          idempotencyKey: null,
          test: { destinationId: input.destinationId },
        },
        deps.now(),
        PROBE_WAIT_MS,
      );
      if (outcome?.status !== 'succeeded') return false;
      return liftAutoDisable(db, input.workspaceId, input.destinationId, deps.now());
    },
  };
}
