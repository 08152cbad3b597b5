// Planning makes an event's first attempts; run again (its workflow task lost after them), it sends nothing twice and loses nothing.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities/activities';
import { createHttpClient } from '../../src/activities/http/dispatcher';
import { ClientTlsAgents } from '../../src/activities/http/client-tls-agents';
import { newId } from '../../src/domain/ids';
import { eventWorkflowId } from '../../src/domain/workflow-ids';
import { loadAttemptContext } from '../../src/store/attempt-context';
import { storeEventWithDeliveries } from '../../src/store/event-plan';
import type { EventPlan, EventWorkflowInput } from '../../src/contracts/delivery';
import { makeDestination } from '../support/delivery-helpers';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

const RETRY_DELAY_MS = 30_000;

describe('first attempts made by planning', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  const http = createHttpClient({ connectionsPerOrigin: 4, allowPrivate: true });

  beforeAll(async () => {
    hookline = await startHookline({ HOOKLINE_RETRY_SCHEDULE: `${RETRY_DELAY_MS}ms`, HOOKLINE_RETRY_JITTER: '0' });
    // /flaky fails its first request; /ok always succeeds, with a long answer.
    let flakyCalls = 0;
    receiver = await startReceiver((request) => (request.path === '/flaky' && flakyCalls++ === 0 ? { status: 500 } : { status: 200, body: 'x'.repeat(5_000) }));
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
    await http.close();
  });

  /** The planning activity as the worker runs it, inside the event's workflow: a local activity, called directly. */
  function planning(eventId: string, config = hookline.config) {
    const activities = createActivities({ db: hookline.db, config, http, clientTls: new ClientTlsAgents(() => http, String), temporal: hookline.temporal });
    const environment = new MockActivityEnvironment({ isLocal: true, workflowExecution: { workflowId: eventWorkflowId(eventId), runId: 'run-1' } });
    return (input: EventWorkflowInput): Promise<EventPlan> => environment.run(activities.planEventDeliveries, input);
  }

  function eventFor(workspaceId: string, overrides: Partial<EventWorkflowInput> = {}): EventWorkflowInput {
    const now = new Date().toISOString();
    return {
      eventId: newId('evt'),
      workspaceId,
      type: 'contact.created',
      data: { id: 'c_1', tags: ['a'] },
      subject: null,
      occurredAt: now,
      receivedAt: now,
      idempotencyKey: null,
      ...overrides,
    };
  }

  it('hands each first attempt the same context a fresh read of the stored rows gives', async () => {
    const { id: workspaceId, key } = await hookline.createWorkspace();
    await makeDestination(hookline, key, { url: `${receiver.url}/ok`, event_types: ['contact.*'], headers: { 'x-team': 'crm' } });
    const event = eventFor(workspaceId);
    const stored = await storeEventWithDeliveries(hookline.db, event, { takes: () => true, claims: () => false, initialStatus: () => 'pending' }, new Date());
    const [row] = stored.rows;
    expect(stored.contexts?.get(row!.id)).toEqual(await loadAttemptContext(hookline.db, workspaceId, row!.id));
  });

  it('claims a first_match subject in its transaction and still makes the first attempt', async () => {
    const { id: workspaceId, key } = await hookline.createWorkspace();
    const once = await makeDestination(hookline, key, { url: `${receiver.url}/once`, event_types: ['contact.*'], trigger: 'first_match' });
    const before = receiver.requests.length;
    const event = eventFor(workspaceId, { subject: 'contact:c_9' });
    const first = await planning(event.eventId)(event);
    expect(first.deliveries).toEqual([
      expect.objectContaining({ destinationId: once.body.id, status: 'pending', verdict: expect.objectContaining({ kind: 'done', status: 'succeeded' }) }),
    ]);
    const second = eventFor(workspaceId, { subject: 'contact:c_9' });
    const later = await planning(second.eventId)(second);
    expect(later.deliveries).toEqual([expect.objectContaining({ destinationId: once.body.id, status: 'skipped' })]);
    expect(later.deliveries[0]!.verdict).toBeUndefined();
    expect(receiver.requests.slice(before).map((request) => request.path)).toEqual(['/once']);
  });

  it('runs again after a lost workflow task without resending, and still hands the due retry to a delivery workflow', async () => {
    const { id: workspaceId, key } = await hookline.createWorkspace();
    const flaky = await makeDestination(hookline, key, { url: `${receiver.url}/flaky`, event_types: ['contact.*'], max_attempts: 3 });
    const ok = await makeDestination(hookline, key, { url: `${receiver.url}/ok`, event_types: ['contact.*'] });
    const eventId = newId('evt');
    const input: EventWorkflowInput = {
      eventId,
      workspaceId,
      type: 'contact.created',
      data: { id: 'c_1' },
      subject: null,
      occurredAt: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
      idempotencyKey: null,
    };
    const plan = planning(eventId);
    const before = receiver.requests.length;

    const first = await plan(input);
    const verdictFor = (deliveries: typeof first.deliveries, destinationId: string) => deliveries.find((d) => d.destinationId === destinationId)?.verdict;
    expect(verdictFor(first.deliveries, ok.body.id)).toMatchObject({ kind: 'done', status: 'succeeded', lastAttempt: { statusCode: 200, attemptNumber: 1 } });
    expect(verdictFor(first.deliveries, flaky.body.id)).toMatchObject({
      kind: 'escalate',
      held: false,
      attemptsMade: 1,
      retryInMs: RETRY_DELAY_MS,
      lastAttempt: { statusCode: 500 },
    });
    expect(
      receiver.requests
        .slice(before)
        .map((request) => request.path)
        .sort(),
    ).toEqual(['/flaky', '/ok']);
    // The plan, a payload in the event's history, carries the start of the answer; the attempt row keeps its 4 KB.
    const okVerdict = verdictFor(first.deliveries, ok.body.id);
    expect(okVerdict?.lastAttempt?.responseExcerpt).toBe('x'.repeat(256));
    const [okAttempt] = await hookline.db
      .selectFrom('attempts as a')
      .innerJoin('deliveries as dl', 'dl.id', 'a.delivery_id')
      .select('a.response_excerpt')
      .where('dl.event_id', '=', eventId)
      .where('dl.destination_id', '=', ok.body.id)
      .execute();
    expect(okAttempt?.response_excerpt).toHaveLength(4_096);

    // The workflow task that would have recorded this plan was lost: the next run plans again.
    const again = await plan(input);
    expect(receiver.requests.slice(before)).toHaveLength(2);
    expect(verdictFor(again.deliveries, ok.body.id)).toEqual({ kind: 'done', status: 'succeeded', lastAttempt: null });
    const retry = verdictFor(again.deliveries, flaky.body.id);
    expect(retry).toMatchObject({ kind: 'escalate', held: false, attemptsMade: 1 });
    expect(retry?.kind === 'escalate' && retry.retryInMs).toBeGreaterThan(0);
    expect(retry?.kind === 'escalate' && retry.retryInMs).toBeLessThanOrEqual(RETRY_DELAY_MS);

    const rows = await hookline.db
      .selectFrom('deliveries')
      .select(['destination_id', 'status', 'attempt_count'])
      .where('event_id', '=', eventId)
      .orderBy('destination_id')
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { destination_id: ok.body.id, status: 'succeeded', attempt_count: 1 },
        { destination_id: flaky.body.id, status: 'delivering', attempt_count: 1 },
      ]),
    );
  });

  it('keeps the first attempts a worker has in flight within its activity limit, however wide the fan-out', async () => {
    // A receiver that counts the requests it holds open at once.
    let open = 0;
    let mostOpen = 0;
    const slow = createServer((request, response) => {
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      request.resume();
      setTimeout(() => {
        open -= 1;
        response.end();
      }, 100);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const { id: workspaceId, key } = await hookline.createWorkspace();
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
      for (let n = 0; n < 6; n++) await makeDestination(hookline, key, { url: `${url}/d${n}`, event_types: ['contact.*'] });
      const event = eventFor(workspaceId);
      const limited = { ...hookline.config, worker: { ...hookline.config.worker, maxConcurrentActivities: 2 } };
      const plan = await planning(event.eventId, limited)(event);
      expect(plan.deliveries.map((delivery) => delivery.verdict?.kind === 'done' && delivery.verdict.status)).toEqual(Array(6).fill('succeeded'));
      expect(mostOpen).toBe(2);
    } finally {
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});
