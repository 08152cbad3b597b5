// What an attempt reads and writes outside the HTTP exchange (its rows, the health report), as one seam the pipeline's unit specs replace.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connect';
import { reportOutcome, type HealthTarget } from '../orchestration/health-signals';
import type { OutcomeReport } from '../contracts/health';
import { recordAttempt, setDeliveryState, type AttemptRecord, type StreakChange } from '../store/attempts';
import { loadAttemptContext, type AttemptContext } from '../store/attempt-context';
import { rememberAcceptedSecret } from '../store/secret-rotation';

export type DeliveryStateChange = Parameters<typeof setDeliveryState>[1];

/** PostgreSQL in production; an attempt never touches the database except through these four. */
export interface AttemptStore {
  loadContext(workspaceId: string | undefined, deliveryId: string): Promise<AttemptContext | undefined>;
  setState(change: DeliveryStateChange): Promise<void>;
  record(record: AttemptRecord): Promise<{ attemptNumber: number; streak: StreakChange | null }>;
  rememberAcceptedSecret(workspaceId: string, destinationId: string, previous: boolean): Promise<void>;
}

/** Tells the destination's health workflow the streak after a final outcome. */
export type HealthReport = (target: HealthTarget, report: OutcomeReport) => Promise<void>;

export function attemptStoreOf(db: Db): AttemptStore {
  return {
    loadContext: (workspaceId, deliveryId) => loadAttemptContext(db, workspaceId, deliveryId),
    setState: (change) => setDeliveryState(db, change),
    record: (record) => recordAttempt(db, record),
    rememberAcceptedSecret: (workspaceId, destinationId, previous) => rememberAcceptedSecret(db, workspaceId, destinationId, previous),
  };
}

export function healthReportThrough(temporal: Client, taskQueue: string): HealthReport {
  return (target, report) => reportOutcome(temporal, taskQueue, target, report);
}
