// The outbox relay: every worker starts the workflows of events committed in PostgreSQL, woken by LISTEN, polling as a fallback.
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import { UnavailableError } from '../domain/errors';
import { nextStartDelayMs, type StartOutcome } from '../domain/outbox-relay';
import { withinTrace } from '../observability/trace-carrier';
import type { WorkerMetrics } from '../observability/worker-metrics';
import { startEventWorkflow } from '../orchestration/start-event';
import { deferEvents, leaseDueEvents, OUTBOX_CHANNEL, stillWaiting, type LeasedEvent } from '../store/event-outbox';
import { listen } from '../store/notifications';

export interface EventRelayDeps {
  config: Config;
  db: Db;
  /** A client on the worker's own connection: its starts are eager, so the first task comes back in the answer. */
  temporal: Client;
  logger?: Logger;
  metrics?: WorkerMetrics;
}

export interface EventRelay {
  /** Takes no new events; resolves when the starts in flight have ended. */
  stop(): Promise<void>;
}

// One line per this long at most while PostgreSQL or Temporal is away, not one per poll.
const WARN_EVERY_MS = 30_000;
// With its starts all unplanned, how soon the relay looks again: planning takes tens of milliseconds per event.
const FULL_RECHECK_MS = 50;

/**
 * Relays run in every worker at once: SKIP LOCKED and the lease make each start one relay's, and REJECT_DUPLICATE
 * makes a second start of an event (a relay that died after starting it, before planning took it out) a no-op.
 */
export function startEventRelay(deps: EventRelayDeps): EventRelay {
  const { config, db, logger, metrics } = deps;
  const { batch, pollMs, leaseMs, inFlight } = config.relay;
  let stopped = false;
  let nudged = false;
  let wake: (() => void) | null = null;
  let lastWarning = 0;

  const nudge = () => {
    nudged = true;
    wake?.();
  };
  const warn = (message: string, error: unknown) => {
    if (Date.now() - lastWarning < WARN_EVERY_MS) return;
    lastWarning = Date.now();
    logger?.warn({ err: error instanceof Error ? error.message : String(error) }, message);
  };
  const listener = listen(config.database.url, OUTBOX_CHANNEL, {
    onNotify: nudge,
    onError: (error) => warn('outbox relay lost its LISTEN connection; polling', error),
  });

  const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const idle = () =>
    new Promise<void>((resolve) => {
      if (nudged || stopped) return resolve();
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function start(leased: LeasedEvent): Promise<StartOutcome> {
    try {
      const started = await withinTrace(leased.traceCarrier, () => startEventWorkflow(deps.temporal, config, leased.input, deps.temporal));
      metrics?.eventStarts.inc({ result: !started.started ? 'duplicate' : started.eager ? 'eager' : 'matched' });
      return started.started ? 'started' : 'duplicate';
    } catch (error) {
      metrics?.eventStarts.inc({ result: 'deferred' });
      if (!(error instanceof UnavailableError)) warn('outbox relay could not start an event workflow; it tries again', error);
      else warn('Temporal is unavailable: accepted events wait in the outbox', error);
      return 'unavailable';
    }
  }

  // The events this relay started that no workflow has planned yet: at most `inFlight`, so a flood waits in the outbox,
  // where claims are fair between workspaces, rather than in the task queue, where it would be first come first served.
  const started = new Set<string>();
  // Where the round of workspaces stands (leaseDueEvents serves a share of each, in workspace order).
  let afterWorkspace = '';

  /** One claim and its starts: 'more' when more may be due at once, 'full' while its starts wait to be planned. */
  async function relayOnce(): Promise<'more' | 'idle' | 'full'> {
    // Looked up only near the cap: below it the count does not change what the claim may take.
    if (inFlight - started.size < batch && started.size > 0) {
      const waiting = new Set(await stillWaiting(db, [...started]));
      for (const eventId of started) if (!waiting.has(eventId)) started.delete(eventId);
    }
    const room = inFlight - started.size;
    if (room <= 0) return 'full';
    const limit = Math.min(batch, room);
    const leased = await leaseDueEvents(db, { taskQueue: config.temporal.taskQueue, limit, leaseMs, afterWorkspace });
    if (leased.length === 0) {
      // The round reached the last workspace: the next claim starts it again.
      if (afterWorkspace === '') return 'idle';
      afterWorkspace = '';
      return 'more';
    }
    afterWorkspace = leased[leased.length - 1]!.input.workspaceId;
    const outcomes = await Promise.all(leased.map(start));
    const delays = leased.flatMap((event, index) => {
      if (outcomes[index] === 'started') started.add(event.input.eventId);
      const delayMs = nextStartDelayMs(outcomes[index]!, event.startAttempts, { leaseMs, pollMs });
      return delayMs === null ? [] : [{ eventId: event.input.eventId, delayMs }];
    });
    await deferEvents(db, delays);
    // While Temporal is away, the next claim waits for the poll rather than spinning over the same deferred events.
    return outcomes.includes('unavailable') ? 'idle' : 'more';
  }

  const loop = (async () => {
    while (!stopped) {
      nudged = false;
      let next: 'more' | 'idle' | 'full' = 'idle';
      try {
        next = await relayOnce();
      } catch (error) {
        warn('outbox relay could not read the outbox; it polls again', error);
      }
      if (next === 'full') await pause(FULL_RECHECK_MS);
      else if (next === 'idle') await idle();
    }
  })();

  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      await listener.close();
    },
  };
}
