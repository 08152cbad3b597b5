// Delivery control's steps of an attempt: a permit before the request (rate limit, cap, push-back), its release, and a push-back noted after.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { setTimeout as delay } from 'node:timers/promises';
import { needsPermit, pushbackOf, type DeliveryControl, type Permit } from '../domain/delivery-control';
import { clampRetryAfter, parseRetryAfter } from '../domain/retry-policy';
import { MAX_LATE_READMISSIONS } from '../domain/send-timing';
import { FailureType, type AttemptInput, type QueuedDetails } from '../contracts/delivery';
import type { AttemptContext } from '../store/attempt-context';
import { controlOf } from '../store/delivery-control';
import type { AttemptDeps } from './attempt.activity';
import type { SendResult } from './http/send';
import type { TokenClock } from './token-clock';

/**
 * Step 3a, only for a destination with a limit or a receiver that pushed back: a permit, or the turn to wait for.
 * Test sends are not paced: a person checks the destination with one request.
 */
export async function admit(
  deps: AttemptDeps,
  clock: TokenClock,
  row: AttemptContext,
  input: AttemptInput,
  scheduleAttempt: number,
): Promise<DeliveryControl | null> {
  const control = controlOf(row);
  if (row.is_test || !needsPermit(control, row.throttled_until, deps.now())) return null;
  let wokenForTurn = input.wokenForTurn ?? false;
  for (let readmissions = 0; ; readmissions++) {
    const permit = await clock.timed(
      () =>
        deps.store.acquirePermit({
          workspaceId: row.workspace_id,
          destinationId: row.destination_id,
          deliveryId: row.delivery_id,
          control,
          // A lease outlives the request's deadline (twice, for a hex rotation's second try) and the record after it.
          leaseSeconds: row.timeout_seconds * 2 + 15,
          wokenForTurn,
        }),
      (answer) => (answer.granted ? answer.decidedAtMs : null),
    );
    if (!permit.granted) throw queued(permit, scheduleAttempt);
    // The token is a few milliseconds ahead: cheaper to wait here than to queue (domain/delivery-control.ts).
    const waitMs = clock.waitMs(permit.tokenAtMs);
    if (waitMs > 0) await delay(waitMs);
    // A stall made this request late: sent now, it would crowd the next token's request (domain/send-timing.ts).
    // It asks again in its place (as a delivery woken for its turn), the spent token left unused.
    if (!clock.isLate(permit.tokenAtMs) || readmissions >= MAX_LATE_READMISSIONS) return control;
    wokenForTurn = true;
  }
}

function queued(permit: Extract<Permit, { granted: false }>, scheduleAttempt: number): ApplicationFailure {
  const details: QueuedDetails = { attemptsMade: scheduleAttempt - 1, waitMs: permit.waitMs, reason: permit.reason, turnAtMs: permit.turnAtMs };
  return ApplicationFailure.create({
    type: FailureType.Queued,
    nonRetryable: true,
    message: `queued behind the destination's ${permit.reason.replace('_', ' ')}: its turn comes in ${Math.ceil(permit.waitMs / 1000)} s`,
    details: [details],
  });
}

/** Step 3c, best effort: the lease would expire anyway, and the receiver already has the request. */
export async function release(deps: AttemptDeps, row: AttemptContext, control: DeliveryControl | null, durationMs: number): Promise<void> {
  if (control?.maxConcurrent == null) return;
  await deps.store
    .releasePermit({ destinationId: row.destination_id, deliveryId: row.delivery_id, durationMs })
    .catch((error: unknown) => Context.current().log.warn('could not release a request lease', { destinationId: row.destination_id, error: String(error) }));
}

/** Step 4b, best effort: a 429 (or a 503 with Retry-After) slows every delivery of the destination, not only this one. */
export async function notePushback(deps: AttemptDeps, row: AttemptContext, result: SendResult): Promise<void> {
  if (row.is_test || result.kind !== 'response') return;
  const retryAfter = parseRetryAfter(result.headers['retry-after'], deps.now().getTime());
  const pushback = pushbackOf(result.status, retryAfter === null ? null : clampRetryAfter(retryAfter, deps.config.delivery));
  if (!pushback) return;
  await deps.store
    .notePushback({ workspaceId: row.workspace_id, destinationId: row.destination_id, control: controlOf(row) }, pushback)
    .catch((error: unknown) => Context.current().log.warn('could not note a receiver push-back', { destinationId: row.destination_id, error: String(error) }));
}
