// One delivery attempt as named steps (load → prepare → send → record → report); failures become typed ApplicationFailures.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/config';
import { decideAfterAttempt } from '../domain/attempt-outcome';
import { deliveryMode } from '../domain/delivery-mode';
import { isPaused } from '../domain/destination';
import { deliveryWorkflowId } from '../domain/workflow-ids';
import { TemplateError } from '../domain/render';
import { honoursRetryAfter, parseRetryAfter } from '../domain/retry-policy';
import { releasesLane } from '../domain/ordered-lanes';
import { laneOfDelivery } from '../store/ordered-lanes';
import { keepOrder, passTurn } from './attempt-lane';
import { loggableUrl, type AttemptReporter } from '../observability/attempt-report';
import type { StreakChange } from '../store/attempts';
import type { AttemptContext } from '../store/attempt-context';
import { isDatabaseUnavailable } from '../store/availability';
import { FailureType, type AttemptInput, type AttemptSummary, type UnsentDetails } from '../contracts/delivery';
import { prepareRequest, type PreparedRequest } from './attempt-request';
import type { AttemptStore, HealthReport, LaneTurn } from './attempt-store';
import type { SendResult } from './http/send';
import type { ClientTlsAgents } from './http/client-tls-agents';
import { admit, notePushback, release } from './attempt-control';
import { outcomeOf, send } from './attempt-send';
import { authorize, tokenFailure } from './attempt-auth';
import { OAuthTokens } from './oauth-token';
import { InlineAttemptGate } from './inline-gate';
import { TokenClock } from './token-clock';

export interface AttemptDeps {
  store: AttemptStore;
  reportHealth: HealthReport;
  /** Tells the next delivery of an ordered lane that this one is done. */
  passLaneTurn: LaneTurn;
  config: Config;
  http: Dispatcher;
  /** Destinations with a client certificate go out through their own Agent (mutual TLS). */
  clientTls: ClientTlsAgents;
  now: () => Date;
  random: () => number;
  /** The attempt's log line and metrics (src/observability). */
  reporter: AttemptReporter;
}

/** Step 1: the context, or the reason nothing may be sent (deleted, discarded, paused). */
async function load(deps: AttemptDeps, input: AttemptInput, preloaded: AttemptContext | undefined): Promise<AttemptContext> {
  const row = preloaded ?? (await deps.store.loadContext(input.workspaceId, input.deliveryId));
  if (!row) throw ApplicationFailure.nonRetryable(`delivery ${input.deliveryId} does not exist`, FailureType.Cancelled);
  const state = { deliveryId: row.delivery_id, workspaceId: row.workspace_id, now: deps.now() };
  if (row.deleted_at !== null || row.status === 'cancelled') {
    const why = row.deleted_at !== null ? 'destination deleted' : 'discarded while held';
    await deps.store.setState({ ...state, status: 'cancelled', error: why });
    await passTurn(deps, row, laneOfDelivery(row));
    throw ApplicationFailure.nonRetryable(why, FailureType.Cancelled);
  }
  // Its subject's data was erased on request: nothing is sent, and the row keeps saying so. A delivery planned from a
  // workflow's copy of the event just before the erasure reached the row is erased here.
  if (row.status !== 'erased' && row.erased_at !== null) await deps.store.setState({ ...state, status: 'erased', error: null });
  if (row.status === 'erased' || row.erased_at !== null) throw ApplicationFailure.nonRetryable("erased at its subject's request", FailureType.Cancelled);
  // A newer event of its subject went in its place (coalescing): its workflow ends, as the row says.
  if (row.status === 'superseded') throw ApplicationFailure.nonRetryable('superseded by a newer event of its subject', FailureType.Superseded);
  // A paused destination gets nothing (test sends excepted: they are how a person checks it before re-enabling).
  if (deliveryMode(row.is_test).heldWhenPaused && isPaused(row)) {
    await deps.store.setState({ ...state, status: 'held' });
    throw ApplicationFailure.nonRetryable('destination is paused; the delivery is held until it is re-enabled', FailureType.Paused);
  }
  return row;
}

/** Step 2: the rendered, signed request; a template that cannot render fails the delivery for good. */
async function prepare(deps: AttemptDeps, row: AttemptContext): Promise<PreparedRequest> {
  try {
    return prepareRequest(row, deps.config, deps.now());
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const message = `template_error: ${error.message}`;
    await deps.store.setState({ deliveryId: row.delivery_id, workspaceId: row.workspace_id, status: 'failed', error: message, now: deps.now() });
    deps.reporter.templateFailed(row, message);
    throw ApplicationFailure.nonRetryable(message, FailureType.TemplateError);
  }
}

/** What the receiver asked for: a Retry-After on the answers that honour one. */
function retryAfterOf(deps: AttemptDeps, result: SendResult): number | null {
  return result.kind === 'response' && honoursRetryAfter(result.status) ? parseRetryAfter(result.headers['retry-after'], deps.now().getTime()) : null;
}

/**
 * Step 5, best effort: PostgreSQL already holds the streak, and each report carries the whole count, so a lost
 * report is repaired by the next one; failing here would resend a request that was already delivered.
 */
async function report(deps: AttemptDeps, row: AttemptContext, streak: StreakChange, outcome: { lastError: string | null; gone: boolean }) {
  try {
    await deps.reportHealth(
      { destinationId: row.destination_id, workspaceId: row.workspace_id },
      {
        version: streak.version,
        consecutiveFailures: streak.consecutiveFailures,
        failureThreshold: streak.failureThreshold,
        lastError: outcome.lastError,
        gone: outcome.gone,
      },
    );
  } catch (error) {
    Context.current().log.warn('could not report a delivery outcome to the health workflow', { destinationId: row.destination_id, error: String(error) });
  }
}

export function createAttemptActivity(deps: AttemptDeps) {
  const gate = new InlineAttemptGate(deps.config.worker.inlineAttemptsPerWorkspace);
  const clock = new TokenClock(() => deps.now().getTime());
  const tokens = new OAuthTokens({ store: deps.store, http: deps.http, config: deps.config, now: () => deps.now().getTime() });
  /** Inline first attempts pass the workspace's gate (a share of events); past it the event workflow escalates at once (nothing was sent). */
  async function attemptDelivery(input: AttemptInput): Promise<AttemptSummary> {
    // Where this try stands in the destination's schedule: Temporal's own count, after the attempts made before it.
    const scheduleAttempt = Context.current().info.attempt + (input.attemptOffset ?? 0);
    const workspaceId = input.workspaceId;
    if (!Context.current().info.isLocal || workspaceId === undefined || input.isTest) return attemptOnce(input, scheduleAttempt);
    // Inline, the workflow is the event's: its id keys the event's one workflow-task slot.
    const eventWorkflowId = Context.current().info.workflowExecution?.workflowId ?? input.deliveryId;
    if (!gate.tryEnter(workspaceId, eventWorkflowId)) throw workspaceBusy();
    try {
      return await attemptOnce(input, scheduleAttempt);
    } finally {
      gate.leave(workspaceId, eventWorkflowId);
    }
  }

  /** One try at a position in the schedule; a database outage becomes Unsent, carrying that position. */
  async function attemptOnce(input: AttemptInput, scheduleAttempt: number, preloaded?: AttemptContext): Promise<AttemptSummary> {
    try {
      return await attemptAt(input, scheduleAttempt, preloaded);
    } catch (error) {
      if (error instanceof ApplicationFailure || !isDatabaseUnavailable(error)) throw error;
      // Temporal's retry would count this try as one of the receiver's; the workflow resumes the schedule here instead.
      const details: UnsentDetails = { attemptsMade: scheduleAttempt - 1 };
      throw ApplicationFailure.create({
        type: FailureType.Unsent,
        nonRetryable: true,
        message: `database unavailable, nothing recorded: ${String(error)}`,
        details: [details],
      });
    }
  }

  async function attemptAt(input: AttemptInput, scheduleAttempt: number, preloaded: AttemptContext | undefined): Promise<AttemptSummary> {
    const row = await load(deps, input, preloaded);
    const lane = await keepOrder(deps, row, scheduleAttempt);
    const request = await prepare(deps, row).catch(async (error: unknown) => {
      // A template that cannot render failed the delivery for good: the lane goes on without it.
      if (error instanceof ApplicationFailure && error.type === FailureType.TemplateError) await passTurn(deps, row, lane);
      throw error;
    });
    const authorized = await authorize(tokens, row, request);
    let startedAt = deps.now();
    let result: SendResult | undefined;
    if (authorized !== null && 'failed' in authorized) result = tokenFailure(authorized.failed);
    else {
      const control = await admit(deps, clock, row, input, scheduleAttempt);
      startedAt = deps.now();
      try {
        result = await send(deps, row, authorized?.request ?? request, authorized?.renew);
      } finally {
        await release(deps, row, control, result?.durationMs ?? deps.now().getTime() - startedAt.getTime());
      }
    }

    // Step 4: record the attempt, the delivery's state and (for a final outcome) the destination's streak, in one statement.
    const outcome = outcomeOf(result, request.url);
    const { retryScheduleMs, retryJitter, retryAfterMinMs, retryAfterMaxMs } = deps.config.delivery;
    const decision = decideAfterAttempt(
      outcome,
      { attempt: scheduleAttempt, maxAttempts: input.maxAttempts },
      retryAfterOf(deps, result),
      { scheduleMs: retryScheduleMs, jitter: retryJitter, retryAfterMinMs, retryAfterMaxMs, random: deps.random },
      deliveryMode(row.is_test),
    );
    const { status, nextDelayMs: delayMs } = decision;
    const now = deps.now();
    const errorMessage = outcome.kind === 'success' ? null : result.kind === 'error' ? `${outcome.reason}: ${result.error.message}` : outcome.reason;
    const { attemptNumber, streak } = await deps.store.record({
      deliveryId: row.delivery_id,
      workspaceId: row.workspace_id,
      workflowId: Context.current().info.workflowExecution?.workflowId ?? deliveryWorkflowId(row.delivery_id),
      startedAt,
      durationMs: result.durationMs,
      requestMethod: row.method,
      requestUrl: request.url,
      requestHeaders: request.storedHeaders,
      responseStatus: result.kind === 'response' ? result.status : null,
      responseHeaders: result.kind === 'response' ? result.headers : null,
      responseExcerpt: result.kind === 'response' ? result.excerpt : null,
      errorClass: outcome.kind === 'success' ? null : result.kind === 'error' ? (result.error.code ?? result.error.name) : outcome.kind,
      errorMessage,
      status,
      nextAttemptAt: delayMs === null ? null : new Date(now.getTime() + delayMs),
      now,
      streak: decision.countsForHealth ? { destinationId: row.destination_id, failed: outcome.kind !== 'success' } : null,
    });
    // A 410 pauses through the health workflow like any streak, so the pause and its reason have one author.
    if (streak) await report(deps, row, streak, { lastError: errorMessage, gone: outcome.kind === 'gone' });
    await notePushback(deps, row, result);
    if (releasesLane(status)) await passTurn(deps, row, lane);
    deps.reporter.attempted({
      row,
      url: request.url,
      result,
      attemptNumber,
      maxAttempts: input.maxAttempts,
      status,
      delayMs,
      error: errorMessage,
      reportedHealth: streak !== null,
    });

    const summary: AttemptSummary = {
      attemptNumber,
      statusCode: result.kind === 'response' ? result.status : null,
      durationMs: result.durationMs,
      responseExcerpt: result.kind === 'response' ? result.excerpt : null,
      error: errorMessage,
      retryInMs: delayMs,
      request: `${row.method} ${loggableUrl(request.url)}`,
    };
    switch (outcome.kind) {
      case 'success':
        return summary;
      case 'gone':
        throw ApplicationFailure.create({ message: outcome.reason, type: FailureType.Gone, nonRetryable: true, details: [summary] });
      case 'permanent':
        throw ApplicationFailure.create({ message: outcome.reason, type: FailureType.Permanent, nonRetryable: true, details: [summary] });
      case 'retryable':
        throw ApplicationFailure.create({
          message: errorMessage ?? outcome.reason,
          type: FailureType.Retryable,
          details: [summary],
          ...(delayMs !== null ? { nextRetryDelay: delayMs } : {}),
        });
    }
  }

  return { attemptDelivery, attemptOnce, gate };
}

export type Attempts = ReturnType<typeof createAttemptActivity>;

/** Why an inline first attempt was not made: the delivery workflow it goes to starts the schedule from attempt 1. */
export function workspaceBusy(): ApplicationFailure {
  return ApplicationFailure.nonRetryable('this workspace has its share of inline attempts in flight; a delivery workflow takes it', FailureType.WorkspaceBusy);
}
