// What workflows and their callers exchange: inputs, results, plans, verdicts, failure types and signals, one contract for both sides.
import { defineSignal } from '@temporalio/workflow';
import type { DeliveryStatus, FinalDeliveryStatus } from '../domain/delivery';

export interface EventWorkflowInput {
  eventId: string;
  workspaceId: string;
  type: string;
  data: unknown;
  subject: string | null;
  occurredAt: string;
  receivedAt: string;
  idempotencyKey: string | null;
  /** Test sends target one destination and make a single attempt. */
  test?: { destinationId: string };
  /** The subject's keyed hash, set by the start (orchestration/start-event.ts) for the delivery workflows' search attribute. */
  subjectHash?: string;
}

export interface PlannedDelivery {
  deliveryId: string;
  destinationId: string;
  status: DeliveryStatus;
  maxAttempts: number;
  timeoutSeconds: number;
  /**
   * When planning also made the first attempts: what becomes of this delivery. Absent in plans recorded before
   * that (their workflows attempted each delivery in a local activity of its own) and for deliveries not attempted.
   */
  verdict?: FirstAttemptVerdict;
}

/** What the event workflow does with a delivery after its first attempt. */
export type FirstAttemptVerdict =
  /** Nothing more to do: succeeded, failed for good (the attempt recorded it), or cancelled. */
  | { kind: 'done'; status: FinalDeliveryStatus; lastAttempt: AttemptSummary | null }
  /** A delivery workflow takes over: retries on the schedule, or waits for the paused destination. */
  | {
      kind: 'escalate';
      held: boolean;
      attemptsMade: number;
      retryInMs: number | null;
      lastAttempt: AttemptSummary | null;
      /** Not sent: the destination's limit or push-back gave it a turn this far ahead (domain/delivery-control.ts). */
      queuedMs?: number;
      /** The turn it was given, on the database's clock: the woken attempt presents it. */
      turnAtMs?: number;
      /** Queued behind an earlier delivery of its ordered lane: the wait ends early at the lane's signal. */
      waitsForLane?: boolean;
    };

/** What the planning activity decided, in one transaction (the rows exist before any workflow starts), with the first attempts' verdicts. */
export interface EventPlan {
  deliveries: PlannedDelivery[];
}

export interface EventWorkflowResult {
  deliveries: PlannedDelivery[];
  /** Test sends wait for their one delivery and return its outcome. */
  test?: DeliveryWorkflowResult;
  /** Planning refused the event for good (it is stored as rejected, with this reason, and has no deliveries). */
  rejected?: string;
}

export interface DeliveryWorkflowInput {
  deliveryId: string;
  workspaceId: string;
  destinationId: string;
  eventId: string;
  eventType: string;
  maxAttempts: number;
  timeoutSeconds: number;
  /** A test send: one attempt, answered to the person waiting; it never waits for a manual retry. */
  isTest?: boolean;
  /**
   * Only in delivery workflows that predate the CLOSE_WHEN_FAILED patch (docs/versioning.md): how long one that failed
   * for good waits for a manual retry (0 there marks a test send). New starts carry none.
   */
  retryWindowMs?: number;
  /** The destination was paused when the delivery was planned: wait for a release before attempting. */
  held?: boolean;
  /** Attempts the event workflow already made inline; the schedule continues after them. Absent: none. */
  attemptsMade?: number;
  /** How long after the inline attempt the next one is due (the schedule's delay, or the receiver's Retry-After). */
  retryInMs?: number | null;
  /** The inline attempt's request ("POST https://crm.example/hooks"), for the Temporal UI's summaries. */
  request?: string;
  /** Planning found the destination's limit or push-back in the way: the first attempt waits this long for its turn. */
  queuedMs?: number;
  /** The turn planning was given (database clock), which the first attempt presents when it wakes. */
  turnAtMs?: number;
  /** The first wait is for the delivery's ordered lane: a signal ends it early (domain/ordered-lanes.ts). */
  waitsForLane?: boolean;
}

export interface DeliveryWorkflowResult {
  deliveryId: string;
  status: FinalDeliveryStatus;
  /** The last attempt's outcome, as the test-send endpoint reports it. */
  lastAttempt: AttemptSummary | null;
}

export interface AttemptInput {
  deliveryId: string;
  /** Absent in attempts scheduled by workflows started before it was added; the delivery id alone is unique. */
  workspaceId?: string;
  maxAttempts: number;
  /** Attempts made before this activity's own (the event workflow's inline first attempt); the schedule position adds it. */
  attemptOffset?: number;
  /** A test send: a person waits for this one attempt, so it is never sent elsewhere. */
  isTest?: boolean;
  /** The delivery slept until the turn the destination's pacing gave it: it does not queue again behind later arrivals. */
  wokenForTurn?: boolean;
  /** The turn it slept until (database clock, from the refusal); recorded in histories, informational to the permit. */
  turnAtMs?: number;
}

export interface AttemptSummary {
  attemptNumber: number;
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  /** For a retryable failure that is not the last try: the delay before the next attempt. */
  retryInMs?: number | null;
  /** "POST https://crm.example/hooks" (origin and path only): what the Temporal UI's summaries name. */
  request?: string;
}

// The names are Temporal's wire format: in-flight workflows were signalled by them, so they never change.
/** A person's retry: runs the delivery's schedule again from attempt 1. */
export const retrySignal = defineSignal('retry');
/** Wakes a held delivery: it attempts again, or ends as cancelled if it was discarded meanwhile. */
export const releaseSignal = defineSignal('release');
/** The delivery ahead of this one in its ordered lane reached a final outcome: it looks again at once. */
export const laneTurnSignal = defineSignal('lane-turn');

/** The ApplicationFailure types workflows and activities raise; the API maps them to delivery outcomes. */
export const FailureType = {
  Retryable: 'DeliveryRetryable',
  Permanent: 'DeliveryPermanent',
  Gone: 'DestinationGone',
  TemplateError: 'TemplateError',
  /** The destination was deleted or the delivery discarded: nothing more will be sent. */
  Cancelled: 'DeliveryCancelled',
  /** A coalescing destination sends a newer event of the subject instead: this delivery ends unsent. */
  Superseded: 'DeliverySuperseded',
  /** The destination is paused (auto-disabled or disabled by a person): hold until released. */
  Paused: 'DestinationPaused',
  /** The workspace has its share of inline attempts in flight: this first attempt goes to a delivery workflow. */
  WorkspaceBusy: 'WorkspaceBusy',
  /** Planning can never store or plan this event; retrying would fail again. */
  EventUnplannable: 'EventUnplannable',
  /** How a delivery workflow closes when the delivery failed for good; a manual retry starts it again. */
  DeliveryFailed: 'DeliveryFailed',
  /**
   * PostgreSQL was away during the attempt: nothing reached the receiver, or what did could not be recorded. Not a
   * receiver's failure, so it must not use up one of its attempts; details carry the schedule position to resume at.
   */
  Unsent: 'AttemptUnsent',
  /**
   * The destination's rate limit, concurrency cap or push-back kept the request from going: nothing was sent and no
   * attempt is used; the workflow sleeps until the turn the details name, then tries at the same schedule position.
   */
  Queued: 'DeliveryQueued',
} as const;

/** The details of an Unsent failure: how many of the receiver's attempts this schedule run had made before it. */
export interface UnsentDetails {
  attemptsMade: number;
}

/** The details of a Queued failure: the schedule position to resume at, and how long until the delivery's turn. */
export interface QueuedDetails {
  attemptsMade: number;
  waitMs: number;
  reason: string;
  /** The turn given, on the database's clock; absent from refusals that keep no place (none today). */
  turnAtMs?: number;
}
