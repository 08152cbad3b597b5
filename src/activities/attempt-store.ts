// What an attempt reads and writes outside the HTTP exchange (its rows, the health report), as one seam the pipeline's unit specs replace.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connect';
import { reportOutcome, type HealthTarget } from '../orchestration/health-signals';
import type { OutcomeReport } from '../contracts/health';
import { recordAttempt, setDeliveryState, type AttemptRecord, type StreakChange } from '../store/attempts';
import { loadAttemptContext, type AttemptContext } from '../store/attempt-context';
import { rememberAcceptedSecret } from '../store/secret-rotation';
import { acquirePermit, notePushback, releasePermit } from '../store/delivery-control';
import type { Permit, Pushback, DeliveryControl } from '../domain/delivery-control';
import type { PermitRequest } from '../store/delivery-control';
import { nextInLane, queueBehindLane, supersedeByNewest, waitForWindow, type LaneCheck, type Superseding } from '../store/ordered-lanes';
import type { Lane, LaneBlocker } from '../domain/ordered-lanes';
import { passLaneTurn } from '../orchestration/lane-signals';
import { readToken, renewToken } from '../store/destination-tokens';
import type { TokenStore } from './oauth-token';

export type DeliveryStateChange = Parameters<typeof setDeliveryState>[1];

/** PostgreSQL in production; an attempt never touches the database except through these. */
export interface AttemptStore extends TokenStore {
  loadContext(workspaceId: string | undefined, deliveryId: string): Promise<AttemptContext | undefined>;
  setState(change: DeliveryStateChange): Promise<void>;
  record(record: AttemptRecord): Promise<{ attemptNumber: number; streak: StreakChange | null }>;
  rememberAcceptedSecret(workspaceId: string, destinationId: string, previous: boolean): Promise<void>;
  /** Only for a controlled or pushed-back destination (store/delivery-control.ts). */
  acquirePermit(request: PermitRequest): Promise<Permit>;
  releasePermit(release: { destinationId: string; deliveryId: string; durationMs: number }): Promise<void>;
  notePushback(target: { workspaceId: string; destinationId: string; control: DeliveryControl }, pushback: Pushback): Promise<void>;
  /** Only for a delivery in an ordered lane (store/ordered-lanes.ts): what is ahead of it, queuing it if anything is. */
  queueBehindLane(check: LaneCheck): Promise<LaneBlocker | null>;
  nextInLane(at: { destinationId: string; lane: Lane }): Promise<string | undefined>;
  /** Only for the head of a coalescing lane (store/ordered-lanes.ts). */
  waitForWindow(head: { workspaceId: string; deliveryId: string; closesAt: Date }): Promise<void>;
  supersedeByNewest(head: LaneCheck): Promise<Superseding>;
}

/** Runs the tasks of one key one after another (and different keys side by side); forgets a key once its tasks are done. */
class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** Tells the destination's health workflow the streak after a final outcome. */
export type HealthReport = (target: HealthTarget, report: OutcomeReport) => Promise<void>;

export function attemptStoreOf(db: Db): AttemptStore {
  const permitsInTurn = new KeyedQueue();
  return {
    loadContext: (workspaceId, deliveryId) => loadAttemptContext(db, workspaceId, deliveryId),
    setState: (change) => setDeliveryState(db, change),
    record: (record) => recordAttempt(db, record),
    rememberAcceptedSecret: (workspaceId, destinationId, previous) => rememberAcceptedSecret(db, workspaceId, destinationId, previous),
    // One decision per destination at a time from this worker: the others wait here, not on the row lock holding a connection.
    acquirePermit: (request) => permitsInTurn.run(request.destinationId, () => acquirePermit(db, request)),
    releasePermit: (release) => releasePermit(db, release),
    notePushback: (target, pushback) => notePushback(db, target, pushback),
    queueBehindLane: (check) => queueBehindLane(db, check),
    nextInLane: (at) => nextInLane(db, at),
    waitForWindow: (head) => waitForWindow(db, head),
    supersedeByNewest: (head) => supersedeByNewest(db, head),
    readToken: (workspaceId, destinationId) => readToken(db, workspaceId, destinationId),
    renewToken: (request, fetch) => renewToken(db, request, fetch),
  };
}

/** Tells the next delivery of a lane its turn has come (orchestration/lane-signals.ts). */
export type LaneTurn = (deliveryId: string) => Promise<void>;

export function laneTurnThrough(temporal: Client): LaneTurn {
  return (deliveryId) => passLaneTurn(temporal, deliveryId);
}

export function healthReportThrough(temporal: Client, taskQueue: string): HealthReport {
  return (target, report) => reportOutcome(temporal, taskQueue, target, report);
}
