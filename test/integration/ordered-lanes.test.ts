// Ordered lanes on the real stack: an ordered destination gets each subject's events one at a time, in the order they were accepted, whatever fails on the way.
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { makeDestination, postEvent } from '../support/delivery-helpers';
import { startReceiver, type ReceivedRequest, type Receiver, type Responder } from '../support/receiver';

jest.setTimeout(240_000);

/** A small seeded generator, so a failing run fails the same way again. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Sent {
  subject: string;
  n: number;
}

const sentOf = (request: ReceivedRequest): Sent => (JSON.parse(request.body) as { data: Sent }).data;

/** Per subject, every request that went out of order: one for an event before a request for an earlier event of its subject. */
function inversions(requests: ReceivedRequest[]): string[] {
  const highest = new Map<string, number>();
  const found: string[] = [];
  for (const { subject, n } of requests.map(sentOf)) {
    const before = highest.get(subject) ?? -1;
    if (n < before) found.push(`${subject}: #${n} after #${before}`);
    highest.set(subject, Math.max(before, n));
  }
  return found;
}

describe('ordered lanes per subject', () => {
  let hookline: HooklineHarness;
  const receivers: Receiver[] = [];

  async function orderedDestination(responder: Responder) {
    const receiver = await startReceiver(responder);
    receivers.push(receiver);
    const workspace = await hookline.createWorkspace();
    const destination = await makeDestination(hookline, workspace.key, { url: `${receiver.url}/hook`, event_types: ['*'], ordering: 'subject' });
    return { receiver, key: workspace.key, destination };
  }

  beforeAll(async () => {
    hookline = await startHookline({ HOOKLINE_RETRY_SCHEDULE: '2s,1s,1s', HOOKLINE_RETRY_JITTER: '0' });
  });

  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await hookline?.close();
  });

  it('holds a later event of a subject as queued (ordering) while the earlier one retries, lets other subjects and subjectless events by, then sends it', async () => {
    // The first request for c_slow fails once; everything else is accepted.
    const { receiver, key, destination } = await orderedDestination((request) => {
      const sent = sentOf(request);
      const firstForSlow = sent.subject === 'c_slow' && sent.n === 0 && receiver.requests.filter((r) => sentOf(r).subject === 'c_slow').length === 1;
      return firstForSlow ? { status: 500, body: 'busy' } : { status: 200, body: 'ok' };
    });
    expect(destination.body).toMatchObject({ ordering: 'subject' });

    await postEvent(hookline, key, { type: 'contact.updated', subject: 'c_slow', data: { subject: 'c_slow', n: 0 } });
    await receiver.waitForRequests(1);
    const second = await postEvent(hookline, key, { type: 'contact.updated', subject: 'c_slow', data: { subject: 'c_slow', n: 1 } });
    await postEvent(hookline, key, { type: 'contact.updated', subject: 'c_other', data: { subject: 'c_other', n: 0 } });
    await postEvent(hookline, key, { type: 'contact.updated', subject: null, data: { subject: 'none', n: 0 } });

    const waiting = await eventually(async () => {
      const answer = await hookline.request('GET', `/v1/deliveries?destination_id=${destination.id}&status=queued`, { key });
      return answer.body.data.find((delivery: any) => delivery.event_id === second);
    }, 'the later c_slow delivery to wait for the earlier one');
    expect(waiting).toMatchObject({ status: 'queued', queue_reason: 'ordering', next_attempt_at: null, attempt_count: 0 });

    await receiver.waitForRequests(5, 30_000);
    const order = receiver.requests.map((request) => `${sentOf(request).subject}#${sentOf(request).n}`);
    // The other subject and the subjectless event did not wait for c_slow's retry.
    expect(order.indexOf('c_other#0')).toBeLessThan(order.lastIndexOf('c_slow#0'));
    expect(order.indexOf('none#0')).toBeLessThan(order.lastIndexOf('c_slow#0'));
    expect(order.filter((sent) => sent.startsWith('c_slow'))).toEqual(['c_slow#0', 'c_slow#0', 'c_slow#1']);
    const delivered = await eventually(async () => {
      const answer = await hookline.request('GET', `/v1/deliveries?destination_id=${destination.id}`, { key });
      return answer.body.data.every((delivery: any) => delivery.status === 'succeeded') ? answer.body.data : undefined;
    }, 'every delivery to succeed');
    expect(delivered.find((delivery: any) => delivery.event_id === second)).toMatchObject({ attempt_count: 1, queue_reason: null });
  });

  it('delivers 1,000 events over 50 subjects with zero inversions per subject while the receiver fails a random 10 % of first tries', async () => {
    const random = seeded(22);
    const seen = new Set<string>();
    const accepted = new Map<string, number>();
    const { receiver, key } = await orderedDestination((request) => {
      const id = request.headers['webhook-id']!;
      const first = !seen.has(id);
      seen.add(id);
      if (first && random() < 0.1) return { status: 503, body: 'try again' };
      accepted.set(id, (accepted.get(id) ?? 0) + 1);
      return { status: 200, body: 'ok' };
    });

    // Fifty senders side by side, each posting its subject's twenty events one after another: that is the order to keep.
    await Promise.all(
      Array.from({ length: 50 }, async (_, s) => {
        for (let n = 0; n < 20; n++) await postEvent(hookline, key, { type: 'contact.updated', subject: `c_${s}`, data: { subject: `c_${s}`, n } });
      }),
    );

    await eventually(async () => (accepted.size === 1_000 ? true : undefined), 'every event to be accepted by the receiver', 200_000);
    expect(inversions(receiver.requests)).toEqual([]);
    // About a tenth failed first, and was retried before anything later of its subject went; each was accepted once.
    const refused = receiver.requests.length - 1_000;
    expect(refused).toBeGreaterThan(50);
    expect(refused).toBeLessThan(160);
    expect([...accepted.values()].every((count) => count === 1)).toBe(true);
  });

  it('coalesces a burst per subject: the newest event of each burst is delivered, the rest recorded as superseded, unsent', async () => {
    const { receiver, key, destination } = await orderedDestination(() => ({ status: 200, body: 'ok' }));
    const refused = await hookline.request('PATCH', `/v1/destinations/${destination.id}`, { key, body: { ordering: 'none', coalesce_seconds: 2 } });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'coalescing_needs_ordering', details: [{ path: 'coalesce_seconds' }] } });
    const set = await hookline.request('PATCH', `/v1/destinations/${destination.id}`, { key, body: { coalesce_seconds: 2 } });
    expect(set.body).toMatchObject({ ordering: 'subject', coalesce_seconds: 2 });

    // Ten updates of one contact and three of another within a fraction of the window.
    for (let n = 0; n < 10; n++) await postEvent(hookline, key, { type: 'contact.updated', subject: 'c_busy', data: { subject: 'c_busy', n } });
    for (let n = 0; n < 3; n++) await postEvent(hookline, key, { type: 'contact.updated', subject: 'c_calm', data: { subject: 'c_calm', n } });

    await receiver.waitForRequests(2, 30_000);
    const deliveries = await eventually(async () => {
      const answer = await hookline.request('GET', `/v1/deliveries?destination_id=${destination.id}&limit=100`, { key });
      return answer.body.data.every((delivery: any) => ['succeeded', 'superseded'].includes(delivery.status)) && answer.body.data.length === 13
        ? answer.body.data
        : undefined;
    }, 'every delivery to be delivered or superseded');
    expect(receiver.requests.map((request) => `${sentOf(request).subject}#${sentOf(request).n}`).sort()).toEqual(['c_busy#9', 'c_calm#2']);
    const superseded = deliveries.filter((delivery: any) => delivery.status === 'superseded');
    expect(superseded).toHaveLength(11);
    expect(superseded.every((delivery: any) => delivery.attempt_count === 0 && /^superseded by event evt_/.test(delivery.last_error))).toBe(true);
    const listed = await hookline.request('GET', `/v1/deliveries?destination_id=${destination.id}&status=superseded&limit=100`, { key });
    expect(listed.body.data).toHaveLength(11);

    // After the window, the next update is a burst of its own: it is delivered too, after its own window.
    await postEvent(hookline, key, { type: 'contact.updated', subject: 'c_busy', data: { subject: 'c_busy', n: 10 } });
    await receiver.waitForRequests(3, 30_000);
    expect(sentOf(receiver.requests[2]!)).toEqual({ subject: 'c_busy', n: 10 });
  });
});
