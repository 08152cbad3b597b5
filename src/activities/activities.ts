// The activity factory: every activity Hookline's workflows call, built from injected dependencies.
import type { Client } from '@temporalio/client';
import pino, { type Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import type { DeliveryStatus } from '../domain/delivery';
import { createAttemptReporter } from '../observability/attempt-report';
import type { WorkerMetrics } from '../observability/worker-metrics';
import { setDeliveryState } from '../store/attempts';
import { createAttemptActivity } from './attempt.activity';
import type { ClientTlsAgents } from './http/client-tls-agents';
import { attemptStoreOf, healthReportThrough, laneTurnThrough } from './attempt-store';
import { createFirstAttempts } from './first-attempts';
import { createHealthActivities } from './health.activities';
import { createPlanActivity, createRejectActivity } from './plan.activity';
import { createPurgeActivity } from './purge.activity';
import { createErasureActivities } from './erasure.activities';

export interface ActivityDeps {
  db: Db;
  config: Config;
  /** The HTTP client deliveries go out through (an undici Agent in production and tests). */
  http: Dispatcher;
  /** The Agents of destinations with a client certificate (mutual TLS). */
  clientTls: ClientTlsAgents;
  /** For signals and starts the activities send (health reports, released deliveries, emitted events). */
  temporal: Client;
  now?: () => Date;
  random?: () => number;
  /** Where the one line per attempt goes; silent when absent. */
  logger?: Logger;
  /** Attempt, delivery and auto-disable metrics; none are kept when absent. */
  metrics?: WorkerMetrics;
}

export function createActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const reporter = createAttemptReporter({ logger: deps.logger ?? pino({ level: 'silent' }), metrics: deps.metrics, now });
  const health = createHealthActivities({ db: deps.db, config: deps.config, temporal: deps.temporal, now });
  const attempts = createAttemptActivity({
    store: attemptStoreOf(deps.db),
    reportHealth: healthReportThrough(deps.temporal, deps.config.temporal.taskQueue),
    passLaneTurn: laneTurnThrough(deps.temporal),
    config: deps.config,
    http: deps.http,
    clientTls: deps.clientTls,
    now,
    random,
    reporter,
  });
  const firstAttempts = createFirstAttempts({ db: deps.db, attempts, now, concurrency: deps.config.worker.maxConcurrentActivities });
  return {
    planEventDeliveries: createPlanActivity({ db: deps.db, config: deps.config, now, firstAttempts }),
    rejectEvent: createRejectActivity({ db: deps.db }),
    purgeExpired: createPurgeActivity({ db: deps.db, config: deps.config, now, metrics: deps.metrics }),
    ...createErasureActivities({ db: deps.db, config: deps.config, temporal: deps.temporal, now }),
    attemptDelivery: attempts.attemptDelivery,
    ...health,
    /** Counted here, where the pause is committed (a retried activity may count one pause twice). */
    async pauseDestination(input: Parameters<typeof health.pauseDestination>[0]) {
      const paused = await health.pauseDestination(input);
      if (paused) deps.metrics?.autoDisabled.inc();
      return paused;
    },
    /** Final or waiting states the workflow decides: exhausted retries, retry requested, cancellation. */
    async markDelivery(input: {
      deliveryId: string;
      workspaceId?: string;
      status: DeliveryStatus;
      error?: string;
    }): Promise<{ deliveryId: string; status: DeliveryStatus }> {
      await setDeliveryState(deps.db, {
        deliveryId: input.deliveryId,
        workspaceId: input.workspaceId,
        status: input.status,
        now: now(),
        ...(input.error !== undefined ? { error: input.error } : {}),
        // A late write must not undo a success or a cancellation.
        onlyIfNot: input.status === 'failed' ? ['succeeded', 'cancelled'] : [],
      });
      // A result the Temporal UI shows as JSON; an empty (void) result shows there as base64.
      return { deliveryId: input.deliveryId, status: input.status };
    },
  };
}

export type HooklineActivities = ReturnType<typeof createActivities>;
