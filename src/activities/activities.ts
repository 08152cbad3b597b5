// The activity factory: every activity Hookline's workflows call, built from injected dependencies.
import type { Client } from '@temporalio/client';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import type { DeliveryStatus } from '../domain/delivery';
import { setDeliveryState } from '../store/attempts';
import { createAttemptActivity } from './attempt.activity';
import { createHealthActivities } from './health.activities';
import { createPlanActivity, createRejectActivity } from './plan.activity';

export interface ActivityDeps {
  db: Db;
  config: Config;
  /** The HTTP client deliveries go out through (an undici Agent in production and tests). */
  http: Dispatcher;
  /** For signals and starts the activities send (health reports, released deliveries, emitted events). */
  temporal: Client;
  now?: () => Date;
  random?: () => number;
}

export function createActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  return {
    planEventDeliveries: createPlanActivity({ db: deps.db, config: deps.config, now }),
    rejectEvent: createRejectActivity({ db: deps.db }),
    attemptDelivery: createAttemptActivity({ db: deps.db, config: deps.config, http: deps.http, temporal: deps.temporal, now, random }),
    ...createHealthActivities({ db: deps.db, config: deps.config, temporal: deps.temporal, now }),
    /** Final or waiting states the workflow decides: exhausted retries, retry requested, cancellation. */
    async markDelivery(input: { deliveryId: string; workspaceId?: string; status: DeliveryStatus; error?: string }): Promise<void> {
      await setDeliveryState(deps.db, {
        deliveryId: input.deliveryId,
        workspaceId: input.workspaceId,
        status: input.status,
        now: now(),
        ...(input.error !== undefined ? { error: input.error } : {}),
        // A late write must not undo a success or a cancellation.
        onlyIfNot: input.status === 'failed' ? ['succeeded', 'cancelled'] : [],
      });
    },
  };
}

export type HooklineActivities = ReturnType<typeof createActivities>;
