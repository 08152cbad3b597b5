// One delivery attempt end to end without a server: what the receiver gets, what is recorded, and what Temporal is told to do next.
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { MockAgent } from 'undici';
import { ClientTlsAgents } from '../../src/activities/http/client-tls-agents';
import { verifyWebhookOrThrow } from '@hookline/verify';
import { createAttemptActivity, type AttemptDeps } from '../../src/activities/attempt.activity';
import type { AttemptStore, DeliveryStateChange, HealthReport } from '../../src/activities/attempt-store';
import { loadConfig } from '../../src/config/config';
import { FailureType, type AttemptInput, type AttemptSummary } from '../../src/contracts/delivery';
import { sealSecret } from '../../src/domain/secret-box';
import { sealBasicAuth } from '../../src/domain/basic-auth';
import { generateSigningKey } from '../../src/domain/signing-key';
import type { AttemptReporter } from '../../src/observability/attempt-report';
import type { AttemptContext } from '../../src/store/attempt-context';
import type { AttemptRecord } from '../../src/store/attempts';
import type { StoredToken } from '../../src/store/destination-tokens';
import { afterPushback, decidePermit, INITIAL_PACING, WAKE_LEAD_MS, type PacingState, type Pushback } from '../../src/domain/delivery-control';
import type { PermitRequest } from '../../src/store/delivery-control';
import type { LaneBlocker } from '../../src/domain/ordered-lanes';
import type { LaneCheck, Superseding } from '../../src/store/ordered-lanes';

const KEY = Buffer.alloc(32, 3);
const SECRET = 'whsec_' + Buffer.alloc(24, 9).toString('base64');
const OLD_SECRET = 'whsec_' + Buffer.alloc(24, 8).toString('base64');
const NOW = new Date('2026-06-01T12:00:00.000Z');
const RECEIVER = 'https://crm.example.com';
// Failed attempts are the point of most cases here; the activity's own warning lines would only bury the results.
const QUIET = new DefaultLogger('ERROR');
const config = loadConfig({
  DATABASE_URL: 'postgres://localhost/unused',
  HOOKLINE_ADMIN_TOKEN: 'a'.repeat(16),
  HOOKLINE_ENCRYPTION_KEY: KEY.toString('base64'),
  HOOKLINE_RETRY_SCHEDULE: '10s,1m',
  HOOKLINE_RETRY_JITTER: '0',
});

function context(overrides: Partial<AttemptContext> = {}): AttemptContext {
  return {
    delivery_id: 'dlv_1',
    workspace_id: 'ws_1',
    destination_id: 'dst_1',
    status: 'pending',
    is_test: false,
    lane_subject: null,
    lane_seq: null,
    queue_reason: null,
    next_attempt_at: null,
    name: 'CRM',
    url: `${RECEIVER}/hooks`,
    method: 'POST',
    headers: {},
    query_params: {},
    body_template: null,
    timeout_seconds: 5,
    signature_scheme: 'standard_webhooks',
    signature_header: null,
    secret_sealed: sealSecret(SECRET, KEY),
    previous_secret_sealed: null,
    previous_secret_expires_at: null,
    receiver_holds_previous_secret: false,
    signing_key_sealed: null,
    previous_signing_key_sealed: null,
    previous_signing_key_expires_at: null,
    basic_auth_username: null,
    basic_auth_password_sealed: null,
    oauth_token_url: null,
    oauth_client_id: null,
    oauth_client_secret_sealed: null,
    oauth_scope: null,
    oauth_audience: null,
    oauth_client_auth: null,
    deleted_at: null,
    enabled: true,
    auto_disabled_at: null,
    trace_context: false,
    rate_limit_requests: null,
    rate_limit_per_seconds: null,
    rate_limit_burst: null,
    max_concurrent_requests: null,
    throttled_until: null,
    ordering: 'none',
    coalesce_seconds: null,
    event_id: 'evt_1',
    event_type: 'contact.created',
    data: { id: 'c_42', email: 'ada@example.com' },
    subject: 'c_42',
    occurred_at: NOW,
    received_at: NOW,
    erased_at: null,
    ...overrides,
  } as AttemptContext;
}

interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A receiver (undici's MockAgent) answering in turn, and an in-memory store seeing every row the attempt writes. */
function pipeline(
  row: AttemptContext | undefined,
  answers: Array<{ status: number; headers?: Record<string, string> } | Error>,
  loadContext: AttemptStore['loadContext'] = () => Promise.resolve(row),
  initialPacing?: PacingState,
  lane: { ahead: LaneBlocker | null; next?: string; newer?: Superseding } = { ahead: null },
) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const received: Received[] = [];
  const origin = agent.get(RECEIVER);
  for (const answer of answers) {
    const interceptor = origin.intercept({ path: () => true, method: () => true });
    if (answer instanceof Error) interceptor.replyWithError(answer);
    else
      interceptor.reply((request) => {
        received.push({ method: request.method, path: request.path, headers: request.headers as Record<string, string>, body: String(request.body) });
        return { statusCode: answer.status, data: `answer ${answer.status}`, responseOptions: { headers: answer.headers ?? {} } };
      });
  }
  const records: AttemptRecord[] = [];
  const states: DeliveryStateChange[] = [];
  const reports: Parameters<HealthReport>[] = [];
  const remembered: boolean[] = [];
  // The destination's pacing as PostgreSQL would keep it, decided by the same domain rules.
  let pacing: PacingState = initialPacing ?? { ...INITIAL_PACING, tatMs: NOW.getTime(), queueEndMs: NOW.getTime() };
  const permits: PermitRequest[] = [];
  const releases: string[] = [];
  const pushbacks: Pushback[] = [];
  const laneChecks: LaneCheck[] = [];
  const turnsPassed: string[] = [];
  const windows: Array<{ deliveryId: string; closesAt: Date }> = [];
  const tokens = new Map<string, StoredToken>();
  const store: AttemptStore = {
    readToken: (_workspaceId, destinationId) => Promise.resolve(tokens.get(destinationId) ?? null),
    renewToken: async (request, fetch) => {
      const renewed = await fetch();
      if (renewed.ok) tokens.set(request.destinationId, renewed.token);
      return renewed;
    },
    loadContext,
    setState: (change) => {
      states.push(change);
      return Promise.resolve();
    },
    record: (record) => {
      records.push(record);
      const streak = record.streak ? { consecutiveFailures: record.streak.failed ? 1 : 0, version: 7, failureThreshold: 5 } : null;
      return Promise.resolve({ attemptNumber: records.length, streak });
    },
    rememberAcceptedSecret: (_workspace, _destination, previous) => {
      remembered.push(previous);
      return Promise.resolve();
    },
    acquirePermit: (request) => {
      permits.push(request);
      const permit = decidePermit(request.control, pacing, { nowMs: NOW.getTime(), openRequests: 0, wokenForTurn: request.wokenForTurn });
      pacing = permit.state;
      return Promise.resolve(permit);
    },
    releasePermit: (release) => {
      releases.push(release.deliveryId);
      return Promise.resolve();
    },
    notePushback: (target, pushback) => {
      pushbacks.push(pushback);
      pacing = afterPushback(target.control, pacing, pushback, NOW.getTime(), null);
      return Promise.resolve();
    },
    queueBehindLane: (check) => {
      laneChecks.push(check);
      return Promise.resolve(lane.ahead);
    },
    nextInLane: () => Promise.resolve(lane.next),
    waitForWindow: (head) => {
      windows.push(head);
      return Promise.resolve();
    },
    supersedeByNewest: () => Promise.resolve(lane.newer ?? { newest: null, superseded: [] }),
  };
  const reporter: AttemptReporter = { attempted: () => undefined, templateFailed: () => undefined };
  const deps: AttemptDeps = {
    store,
    reportHealth: (...report) => {
      reports.push(report);
      return Promise.resolve();
    },
    passLaneTurn: (deliveryId) => {
      turnsPassed.push(deliveryId);
      return Promise.resolve();
    },
    config,
    http: agent,
    // The MockAgent stands in for a destination's own Agent too: these specs are about the request, not the handshake.
    clientTls: new ClientTlsAgents(() => agent as never, String),
    now: () => NOW,
    random: () => 0.5,
    reporter,
  };
  const attempts = createAttemptActivity(deps);
  const attempt = (input: Partial<AttemptInput> = {}, temporalAttempt = 1): Promise<AttemptSummary> =>
    new MockActivityEnvironment({ attempt: temporalAttempt }, { logger: QUIET }).run(attempts.attemptDelivery, {
      deliveryId: 'dlv_1',
      workspaceId: 'ws_1',
      maxAttempts: 3,
      ...input,
    });
  return {
    attempt,
    received,
    records,
    states,
    reports,
    remembered,
    agent,
    permits,
    releases,
    pushbacks,
    laneChecks,
    turnsPassed,
    windows,
    pacing: () => pacing,
  };
}

async function failureOf(attempt: Promise<unknown>): Promise<ApplicationFailure> {
  const error: unknown = await attempt.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(error)}`);
  return error;
}

describe('one delivery attempt', () => {
  it('posts the event signed as Standard Webhooks, and records the success', async () => {
    const run = pipeline(context(), [{ status: 200 }]);
    const summary = await run.attempt();

    expect(run.received).toHaveLength(1);
    const request = nth(run.received, 0);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hooks');
    expect(JSON.parse(request.body)).toMatchObject({ id: 'evt_1', type: 'contact.created', data: { email: 'ada@example.com' } });
    expect(() => verifyWebhookOrThrow({ headers: request.headers, body: request.body, secret: SECRET, nowSeconds: NOW.getTime() / 1000 })).not.toThrow();
    expect(request.headers['webhook-id']).toBe('dlv_1');

    expect(summary).toMatchObject({ attemptNumber: 1, statusCode: 200, error: null, retryInMs: null, request: `POST ${RECEIVER}/hooks` });
    expect(run.records).toEqual([
      expect.objectContaining({ status: 'succeeded', responseStatus: 200, nextAttemptAt: null, streak: { destinationId: 'dst_1', failed: false } }),
    ]);
    // The stored request keeps no signature: a copy of it must not help forge one.
    expect(Object.keys(nth(run.records, 0).requestHeaders)).not.toContain('webhook-signature');
    expect(run.reports).toHaveLength(1);
  });

  it('retries a 503 after the Retry-After the receiver asked for, keeping the delivery open', async () => {
    const run = pipeline(context(), [{ status: 503, headers: { 'retry-after': '120' } }]);
    const failure = await failureOf(run.attempt());

    expect(failure.type).toBe(FailureType.Retryable);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(120_000);
    expect(nth(run.records, 0)).toMatchObject({ status: 'delivering', responseStatus: 503, nextAttemptAt: new Date(NOW.getTime() + 120_000), streak: null });
    expect(run.reports).toEqual([]);
  });

  it('follows the schedule for a refused connection, and fails the delivery at its last attempt', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const early = pipeline(context(), [refused]);
    expect((await failureOf(early.attempt({}, 1))).nextRetryDelay).toBe(10_000);
    expect(nth(early.records, 0)).toMatchObject({ status: 'delivering', responseStatus: null, errorClass: 'ECONNREFUSED' });

    const last = pipeline(context(), [refused]);
    const failure = await failureOf(last.attempt({}, 3));
    expect(failure.type).toBe(FailureType.Retryable);
    expect(nth(last.records, 0)).toMatchObject({ status: 'failed', nextAttemptAt: null, streak: { destinationId: 'dst_1', failed: true } });
    expect(nth(last.reports, 0)[1]).toMatchObject({ consecutiveFailures: 1, gone: false });
  });

  it('gives up at once on a 4xx, and tells the health workflow a 410 means the endpoint is gone', async () => {
    const rejected = pipeline(context(), [{ status: 422 }]);
    const failure = await failureOf(rejected.attempt());
    expect(failure).toMatchObject({ type: FailureType.Permanent, nonRetryable: true });
    expect(nth(rejected.records, 0)).toMatchObject({ status: 'failed', errorMessage: 'receiver responded 422: request rejected' });

    const gone = pipeline(context(), [{ status: 410 }]);
    expect(await failureOf(gone.attempt())).toMatchObject({ type: FailureType.Gone, nonRetryable: true });
    expect(nth(gone.reports, 0)[0]).toEqual({ destinationId: 'dst_1', workspaceId: 'ws_1' });
    expect(nth(gone.reports, 0)[1]).toMatchObject({ gone: true });
  });

  it('sends nothing to a paused destination and holds the delivery, but lets a test send through', async () => {
    const paused = pipeline(context({ enabled: false }), []);
    expect(await failureOf(paused.attempt())).toMatchObject({ type: FailureType.Paused, nonRetryable: true });
    expect(paused.received).toEqual([]);
    expect(paused.states).toEqual([expect.objectContaining({ deliveryId: 'dlv_1', status: 'held' })]);

    const test = pipeline(context({ enabled: false, is_test: true }), [{ status: 200 }]);
    await test.attempt({ isTest: true, maxAttempts: 1 });
    expect(test.received).toHaveLength(1);
    expect(nth(test.records, 0)).toMatchObject({ status: 'succeeded', streak: null });
  });

  it('cancels a delivery whose destination was deleted, and fails one whose template cannot render', async () => {
    const deleted = pipeline(context({ deleted_at: NOW }), []);
    expect(await failureOf(deleted.attempt())).toMatchObject({ type: FailureType.Cancelled, nonRetryable: true });
    expect(nth(deleted.states, 0)).toMatchObject({ status: 'cancelled', error: 'destination deleted' });

    const broken = pipeline(context({ body_template: { email: '{{ data.email | nope }}' } }), []);
    const failure = await failureOf(broken.attempt());
    expect(failure).toMatchObject({ type: FailureType.TemplateError, nonRetryable: true });
    expect(broken.received).toEqual([]);
    expect(nth(broken.states, 0)).toMatchObject({ status: 'failed' });
  });

  it('sends Basic auth and a v1a signature from sealed settings, and the attempt row keeps Authorization masked', async () => {
    const pair = generateSigningKey();
    const row = context({
      signature_scheme: 'standard_webhooks_ed25519',
      signing_key_sealed: sealSecret(pair.privateKey, KEY),
      basic_auth_username: 'crm',
      basic_auth_password_sealed: sealBasicAuth({ username: 'crm', password: 'pw-1' }, KEY)!.password,
    });
    const run = pipeline(row, [{ status: 200 }]);
    await run.attempt();

    const request = nth(run.received, 0);
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('crm:pw-1').toString('base64')}`);
    expect(request.headers['webhook-signature']).toMatch(/^v1a,/);
    expect(() =>
      verifyWebhookOrThrow({
        headers: request.headers,
        body: request.body,
        secret: pair.publicKey,
        scheme: 'standard_webhooks_ed25519',
        nowSeconds: Math.floor(NOW.getTime() / 1000),
      }),
    ).not.toThrow();
    expect(nth(run.records, 0).requestHeaders.authorization).toBe('••••••');
    expect(JSON.stringify(run.records)).not.toContain('pw-1');
  });

  it('mid-rotation, resends with the other secret when a hex receiver refuses the first, and remembers which it took', async () => {
    const rotating = context({
      signature_scheme: 'hmac_sha256_hex',
      previous_secret_sealed: sealSecret(OLD_SECRET, KEY),
      previous_secret_expires_at: new Date(NOW.getTime() + 3_600_000),
    });
    const run = pipeline(rotating, [{ status: 401 }, { status: 200 }]);
    await run.attempt();

    expect(run.received).toHaveLength(2);
    const verifies = (request: Received, secret: string) => {
      try {
        verifyWebhookOrThrow({ headers: request.headers, body: request.body, secret, scheme: 'hmac_sha256_hex' });
        return true;
      } catch {
        return false;
      }
    };
    expect([verifies(nth(run.received, 0), SECRET), verifies(nth(run.received, 1), OLD_SECRET)]).toEqual([true, true]);
    expect(run.remembered).toEqual([true]);
    expect(run.records).toEqual([expect.objectContaining({ status: 'succeeded', responseStatus: 200 })]);
  });

  it('turns a database outage into Unsent, carrying where the schedule stood, so no receiver attempt is counted', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const run = pipeline(context(), [], () => Promise.reject(down));
    const failure = await failureOf(run.attempt({}, 2));
    expect(failure).toMatchObject({ type: FailureType.Unsent, nonRetryable: true });
    expect(failure.details).toEqual([{ attemptsMade: 1 }]);
  });
});

describe('an attempt under delivery control', () => {
  it('asks for no permit when the destination has no limit and its receiver never pushed back', async () => {
    const run = pipeline(context(), [{ status: 200 }]);
    await run.attempt();
    expect(run.permits).toEqual([]);
    expect(run.pushbacks).toEqual([]);
  });

  it('sends within the rate limit, then queues the next request without sending it or using an attempt', async () => {
    const limited = context({ rate_limit_requests: 1, rate_limit_per_seconds: 2, rate_limit_burst: 0 });
    const run = pipeline(limited, [{ status: 200 }]);
    await run.attempt();
    const failure = await failureOf(run.attempt({}, 3));

    expect(run.received).toHaveLength(1);
    expect(run.records).toHaveLength(1);
    expect(failure).toMatchObject({ type: FailureType.Queued, nonRetryable: true });
    // Two attempts of this schedule run were made before (Temporal's attempt 3), and the turn is the limit's 2 s away,
    // paced 5 % under the figure so the network's jitter never shows the receiver one request too many; it sleeps until
    // the wake-up lead before that turn.
    expect(failure.details).toEqual([{ attemptsMade: 2, waitMs: 2_100 - WAKE_LEAD_MS, reason: 'rate_limit', turnAtMs: NOW.getTime() + 2_100 }]);
  });

  it('holds a lease on a capped destination for the request only, and releases it whatever the answer', async () => {
    const capped = context({ max_concurrent_requests: 2 });
    const run = pipeline(capped, [{ status: 500 }]);
    await failureOf(run.attempt());
    expect(run.permits).toEqual([expect.objectContaining({ deliveryId: 'dlv_1', control: { rateLimit: null, maxConcurrent: 2 }, wokenForTurn: false })]);
    expect(run.releases).toEqual(['dlv_1']);
  });

  it("slows the whole destination on a 429's Retry-After, clamped by the retry policy, and queues the next delivery behind it", async () => {
    const run = pipeline(context(), [{ status: 429, headers: { 'retry-after': '30' } }]);
    await failureOf(run.attempt());
    expect(run.pushbacks).toEqual([{ statusCode: 429, retryAfterMs: 30_000 }]);

    // The next delivery reads the destination's push-back with its context, and the pacing the first one left behind.
    const row = context({ delivery_id: 'dlv_2', throttled_until: new Date(NOW.getTime() + 30_000) });
    const next = pipeline(row, [], () => Promise.resolve(row), run.pacing());
    const queued = await failureOf(next.attempt({ deliveryId: 'dlv_2' }));
    expect(next.received).toEqual([]);
    expect(queued.type).toBe(FailureType.Queued);
    expect(queued.details).toEqual([{ attemptsMade: 0, waitMs: 30_000, reason: 'throttled', turnAtMs: NOW.getTime() + 30_000 }]);
  });

  it('does not pace a test send: a person checks the destination with one request', async () => {
    const run = pipeline(context({ is_test: true, rate_limit_requests: 1, rate_limit_per_seconds: 60, rate_limit_burst: 0 }), [{ status: 429 }]);
    await failureOf(run.attempt({ isTest: true }));
    expect(run.permits).toEqual([]);
    expect(run.pushbacks).toEqual([]);
  });
});

/** The item a case expects to be there: its absence fails the case by name rather than as a TypeError. */
function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`expected an item at ${index}, found ${items.length} in all`);
  return item;
}

describe('an attempt in an ordered lane', () => {
  const inLane = { lane_subject: 'c_42', lane_seq: 7, ordering: 'subject' as const };

  it('looks at no lane when the destination keeps no order', async () => {
    const run = pipeline(context({ ...inLane, ordering: 'none' }), [{ status: 200 }], undefined, undefined, { ahead: 'delivery', next: 'dlv_2' });
    await run.attempt();
    expect(run.laneChecks).toEqual([]);
    expect(run.turnsPassed).toEqual([]);
    expect(run.received).toHaveLength(1);
  });

  it('sends nothing and uses no attempt while an earlier delivery of its subject is unfinished, and waits for its signal', async () => {
    const run = pipeline(context(inLane), [{ status: 200 }], undefined, undefined, { ahead: 'delivery' });
    const failure = await failureOf(run.attempt({}, 2));
    expect(failure.type).toBe(FailureType.Queued);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details).toEqual([{ attemptsMade: 1, waitMs: 120_000, reason: 'ordering' }]);
    expect(run.laneChecks).toEqual([{ workspaceId: 'ws_1', destinationId: 'dst_1', deliveryId: 'dlv_1', lane: { subject: 'c_42', seq: 7 } }]);
    expect(run.received).toEqual([]);
    expect(run.records).toEqual([]);
  });

  it('looks again within a second when only an event not yet planned is ahead of it', async () => {
    const run = pipeline(context(inLane), [{ status: 200 }], undefined, undefined, { ahead: 'event' });
    const failure = await failureOf(run.attempt());
    expect(failure.details).toEqual([{ attemptsMade: 0, waitMs: 1_000, reason: 'ordering' }]);
  });

  it('passes the turn to the next delivery of its lane once its outcome is final, not while it retries', async () => {
    const delivered = pipeline(context(inLane), [{ status: 200 }], undefined, undefined, { ahead: null, next: 'dlv_2' });
    await delivered.attempt();
    expect(delivered.received).toHaveLength(1);
    expect(delivered.turnsPassed).toEqual(['dlv_2']);

    const retrying = pipeline(context(inLane), [{ status: 500 }], undefined, undefined, { ahead: null, next: 'dlv_2' });
    expect((await failureOf(retrying.attempt())).type).toBe(FailureType.Retryable);
    expect(retrying.turnsPassed).toEqual([]);

    const refused = pipeline(context(inLane), [{ status: 400 }], undefined, undefined, { ahead: null, next: 'dlv_2' });
    expect((await failureOf(refused.attempt())).type).toBe(FailureType.Permanent);
    expect(refused.turnsPassed).toEqual(['dlv_2']);
  });

  it('passes the turn when the delivery is cancelled, so a deleted destination leaves no lane waiting', async () => {
    const run = pipeline(context({ ...inLane, deleted_at: NOW }), [], undefined, undefined, { ahead: null, next: 'dlv_3' });
    expect((await failureOf(run.attempt())).type).toBe(FailureType.Cancelled);
    expect(run.turnsPassed).toEqual(['dlv_3']);
  });
});

describe('an attempt in a coalescing lane', () => {
  const head = { lane_subject: 'c_42', lane_seq: 7, ordering: 'subject' as const, coalesce_seconds: 5 };

  it('waits, queued and unsent, until five seconds after its event was accepted', async () => {
    const run = pipeline(context({ ...head, received_at: new Date(NOW.getTime() - 2_000) }), [{ status: 200 }]);
    const failure = await failureOf(run.attempt());
    expect(failure.type).toBe(FailureType.Queued);
    expect(failure.details).toEqual([{ attemptsMade: 0, waitMs: 3_000, reason: 'coalescing', turnAtMs: NOW.getTime() + 3_000 }]);
    expect(run.windows).toEqual([{ workspaceId: 'ws_1', deliveryId: 'dlv_1', closesAt: new Date(NOW.getTime() + 3_000) }]);
    expect(run.received).toEqual([]);
  });

  it('when the window has closed and a newer event of the subject waits, ends superseded and hands that one the turn', async () => {
    const newer = { newest: 'dlv_9', superseded: ['dlv_1', 'dlv_5'] };
    const run = pipeline(context({ ...head, received_at: new Date(NOW.getTime() - 6_000) }), [{ status: 200 }], undefined, undefined, { ahead: null, newer });
    const failure = await failureOf(run.attempt());
    expect(failure.type).toBe(FailureType.Superseded);
    expect(run.turnsPassed.sort()).toEqual(['dlv_5', 'dlv_9']);
    expect(run.received).toEqual([]);
    expect(run.records).toEqual([]);
  });

  it('goes itself when it is the newest; a retry, or the turn a superseded delivery handed it, does not wait again', async () => {
    const newest = pipeline(context({ ...head, received_at: new Date(NOW.getTime() - 6_000) }), [{ status: 200 }]);
    await newest.attempt();
    expect(newest.received).toHaveLength(1);

    const handed = pipeline(context({ ...head, queue_reason: 'coalescing', next_attempt_at: new Date(NOW.getTime() - 10) }), [{ status: 200 }]);
    await handed.attempt();
    expect(handed.received).toHaveLength(1);

    const retry = pipeline(context(head), [{ status: 200 }]);
    await retry.attempt({}, 2);
    expect(retry.windows).toEqual([]);
    expect(retry.received).toHaveLength(1);
  });

  it('ends at once, unsent, when a newer event took its place while it waited', async () => {
    const run = pipeline(context({ ...head, status: 'superseded' }), [{ status: 200 }]);
    expect((await failureOf(run.attempt())).type).toBe(FailureType.Superseded);
    expect(run.received).toEqual([]);
  });
});
