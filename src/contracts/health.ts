// What the health workflow, the activities that report to it and the API agree on: state, reports and signals.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export type HealthStatus = 'active' | 'inactive' | 'auto_disabled' | 'deleted';

/** A change of a destination's failure streak, as committed in PostgreSQL (the counter lives there). */
export interface OutcomeReport {
  /** destinations.health_version after the change; older reports arriving late are ignored. */
  version: number;
  consecutiveFailures: number;
  failureThreshold: number;
  lastError: string | null;
  /** A 410 Gone: pause at once, whatever the count. */
  gone: boolean;
}

/** A person's change through the API. */
export type HealthChange = 'reenabled' | 'disabled' | 'deleted' | 'discard_held';

export interface HealthState {
  status: HealthStatus;
  consecutiveFailures: number;
  version: number;
  disabledAt: string | null;
  reason: string | null;
  autoRecover: boolean;
  probeMinMs: number;
  probeMaxMs: number;
  /** Failed recovery probes since the pause; the next delay doubles with each. */
  probes: number;
}

export interface HealthWorkflowInput {
  destinationId: string;
  workspaceId: string;
  /** Carried across continue-as-new. */
  state?: HealthState;
}

/** The health query's answer, in the API's snake_case so the two can be compared as they are. */
export interface HealthSnapshot {
  status: HealthStatus;
  consecutive_failures: number;
  disabled_at: string | null;
  reason: string | null;
}

// The names are Temporal's wire format: in-flight workflows were signalled by them, so they never change.
/** A change of the failure streak, reported by an attempt. */
export const outcomeSignal = defineSignal<[OutcomeReport]>('outcome');
/** A person's change through the API. */
export const changeSignal = defineSignal<[HealthChange]>('change');
/** The workflow's own view of the destination's health (what GET /health must agree with). */
export const healthQuery = defineQuery<HealthSnapshot>('health');
