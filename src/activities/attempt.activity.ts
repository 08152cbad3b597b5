// One delivery attempt: load, render, sign, POST, record; failures become typed ApplicationFailures.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import { buildTemplateVariables, renderBody, renderHeaders, renderUrl, TemplateError } from '../domain/render';
import { classifyNetworkError, classifyResponse, honoursRetryAfter, parseRetryAfter, retryDelayMs, type AttemptOutcome } from '../domain/retry-policy';
import { openSecret } from '../domain/secret-box';
import { signHexHmac, signStandardWebhooks } from '../domain/sign';
import { reportOutcome } from '../orchestration/health-signals';
import { HOOKLINE_VERSION } from '../version';
import { FailureType, type AttemptInput, type AttemptSummary } from '../workflows/contracts';
import { recordAttempt, setDeliveryState, type StreakChange } from './delivery-records';
import { sendWebhook, type SendResult } from './send';

export interface AttemptDeps {
  db: Db;
  config: Config;
  http: Dispatcher;
  temporal: Client;
  now: () => Date;
  random: () => number;
}

async function loadAttemptContext(db: Db, deliveryId: string) {
  return db
    .selectFrom('deliveries as dl')
    .innerJoin('destinations as d', 'd.id', 'dl.destination_id')
    .innerJoin('events as e', 'e.id', 'dl.event_id')
    .select([
      'dl.id as delivery_id', 'dl.workspace_id', 'dl.destination_id', 'dl.status', 'dl.is_test',
      'd.name', 'd.url', 'd.method', 'd.headers', 'd.query_params', 'd.body_template', 'd.timeout_seconds',
      'd.signature_scheme', 'd.signature_header', 'd.secret_sealed', 'd.previous_secret_sealed',
      'd.previous_secret_expires_at', 'd.deleted_at', 'd.enabled', 'd.auto_disabled_at',
      'e.id as event_id', 'e.type as event_type', 'e.data', 'e.subject', 'e.occurred_at',
    ])
    .where('dl.id', '=', deliveryId)
    .executeTakeFirst();
}

type AttemptContext = NonNullable<Awaited<ReturnType<typeof loadAttemptContext>>>;

function signingSecrets(row: AttemptContext, key: Buffer, now: Date): string[] {
  const secrets = [openSecret(row.secret_sealed, key)];
  // During a rotation's grace period receivers may still hold the old secret: sign with both.
  if (row.previous_secret_sealed && row.previous_secret_expires_at && row.previous_secret_expires_at > now) {
    secrets.push(openSecret(row.previous_secret_sealed, key));
  }
  return secrets;
}

function buildRequest(row: AttemptContext, deps: AttemptDeps) {
  const vars = buildTemplateVariables({
    eventId: row.event_id,
    eventType: row.event_type,
    occurredAt: row.occurred_at.toISOString(),
    data: row.data,
    subject: row.subject,
    workspaceId: row.workspace_id,
    destinationName: row.name,
  });
  const url = renderUrl(row.url, row.query_params, vars);
  const body = row.method === 'GET' ? '' : renderBody(row.body_template, vars);
  // Defaults first: a destination may set its own User-Agent or Content-Type (names compared case-insensitively).
  const headers: Record<string, string> = {
    'user-agent': `Hookline/${HOOKLINE_VERSION}`,
    ...(row.method === 'GET' ? {} : { 'content-type': 'application/json' }),
  };
  for (const [name, value] of Object.entries(renderHeaders(row.headers, vars))) headers[name.toLowerCase()] = value;
  const now = deps.now();
  const secrets = signingSecrets(row, deps.config.encryptionKey, now);
  const signature =
    row.signature_scheme === 'hmac_sha256_hex'
      ? signHexHmac({ body, secrets, ...(row.signature_header ? { header: row.signature_header } : {}) })
      : signStandardWebhooks({ id: row.delivery_id, timestampSeconds: Math.floor(now.getTime() / 1000), body, secrets });
  return { url, body, storedHeaders: headers, sentHeaders: { ...headers, ...signature } };
}

/** Where a redirect pointed, made absolute against the request URL so the message is the URL to configure. */
function redirectTarget(location: string | undefined, requestUrl: string): string | null {
  if (!location) return null;
  try {
    return new URL(location, requestUrl).toString();
  } catch {
    return location;
  }
}

function outcomeOf(result: SendResult, requestUrl: string): AttemptOutcome {
  if (result.kind === 'error') return classifyNetworkError(result.error);
  return classifyResponse(result.status, redirectTarget(result.headers.location, requestUrl));
}

/**
 * Best effort: PostgreSQL already holds the streak, and each report carries the whole count, so a lost
 * report is repaired by the next one; failing here would resend a request that was already delivered.
 */
async function reportStreak(deps: AttemptDeps, row: AttemptContext, streak: StreakChange, outcome: { lastError: string | null; gone: boolean }) {
  try {
    await reportOutcome(deps.temporal, deps.config.temporal.taskQueue, { destinationId: row.destination_id, workspaceId: row.workspace_id }, {
      version: streak.version,
      consecutiveFailures: streak.consecutiveFailures,
      failureThreshold: streak.failureThreshold,
      lastError: outcome.lastError,
      gone: outcome.gone,
    });
  } catch (error) {
    Context.current().log.warn('could not report a delivery outcome to the health workflow', { destinationId: row.destination_id, error: String(error) });
  }
}

export function createAttemptActivity(deps: AttemptDeps) {
  return async function attemptDelivery(input: AttemptInput): Promise<AttemptSummary> {
    const scheduleAttempt = Context.current().info.attempt;
    const row = await loadAttemptContext(deps.db, input.deliveryId);
    if (!row) throw ApplicationFailure.nonRetryable(`delivery ${input.deliveryId} does not exist`, FailureType.Cancelled);
    if (row.deleted_at !== null || row.status === 'cancelled') {
      const why = row.deleted_at !== null ? 'destination deleted' : 'discarded while held';
      await setDeliveryState(deps.db, { deliveryId: row.delivery_id, status: 'cancelled', error: why, now: deps.now() });
      throw ApplicationFailure.nonRetryable(why, FailureType.Cancelled);
    }
    // A paused destination gets nothing (test sends excepted: they are how a person checks it before re-enabling).
    if (!row.is_test && (!row.enabled || row.auto_disabled_at !== null)) {
      await setDeliveryState(deps.db, { deliveryId: row.delivery_id, status: 'held', now: deps.now() });
      throw ApplicationFailure.nonRetryable('destination is paused; the delivery is held until it is re-enabled', FailureType.Paused);
    }

    let request: ReturnType<typeof buildRequest>;
    try {
      request = buildRequest(row, deps);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const message = `template_error: ${error.message}`;
      await setDeliveryState(deps.db, { deliveryId: row.delivery_id, status: 'failed', error: message, now: deps.now() });
      throw ApplicationFailure.nonRetryable(message, FailureType.TemplateError);
    }

    const startedAt = deps.now();
    // Heartbeats while waiting on a slow receiver let Temporal notice a dead worker in seconds, not at the deadline.
    const heartbeat = setInterval(() => Context.current().heartbeat(), 1_000);
    let result: SendResult;
    try {
      result = await sendWebhook(
        { method: row.method, url: request.url, headers: request.sentHeaders, body: row.method === 'GET' ? null : request.body, timeoutMs: row.timeout_seconds * 1000 },
        { dispatcher: deps.http, allowPrivate: deps.config.destinations.allowPrivate, now: () => deps.now().getTime() },
      );
    } finally {
      clearInterval(heartbeat);
    }
    const outcome = outcomeOf(result, request.url);
    const lastTry = scheduleAttempt >= input.maxAttempts;
    let delayMs: number | null = null;
    if (outcome.kind === 'retryable' && !lastTry) {
      const retryAfter =
        result.kind === 'response' && honoursRetryAfter(result.status)
          ? parseRetryAfter(result.headers['retry-after'], deps.now().getTime())
          : null;
      const { retryScheduleMs, retryJitter, retryAfterMinMs, retryAfterMaxMs } = deps.config.delivery;
      delayMs = retryDelayMs({
        attempt: scheduleAttempt, scheduleMs: retryScheduleMs, jitter: retryJitter, random: deps.random,
        retryAfterMs: retryAfter, retryAfterMinMs, retryAfterMaxMs,
      });
    }
    const now = deps.now();
    const status = outcome.kind === 'success' ? 'succeeded' : delayMs !== null ? 'delivering' : 'failed';
    const errorMessage = outcome.kind === 'success' ? null : result.kind === 'error' ? `${outcome.reason}: ${result.error.message}` : outcome.reason;
    const final = outcome.kind !== 'retryable' || delayMs === null;
    const { attemptNumber, streak } = await recordAttempt(deps.db, {
      deliveryId: row.delivery_id,
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
      streak: final && !row.is_test ? { destinationId: row.destination_id, failed: outcome.kind !== 'success' } : null,
    });
    if (streak) await reportStreak(deps, row, streak, { lastError: errorMessage, gone: outcome.kind === 'gone' });
    const summary: AttemptSummary = {
      attemptNumber,
      statusCode: result.kind === 'response' ? result.status : null,
      durationMs: result.durationMs,
      responseExcerpt: result.kind === 'response' ? result.excerpt : null,
      error: errorMessage,
    };
    switch (outcome.kind) {
      case 'success':
        return summary;
      case 'gone':
        await deps.db
          .updateTable('destinations')
          .set({ auto_disabled_at: now, auto_disabled_reason: outcome.reason, updated_at: now })
          .where('id', '=', row.destination_id)
          .execute();
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
  };
}
