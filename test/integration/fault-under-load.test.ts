// Faults under load: PostgreSQL restarted, then the Temporal frontend stopped for 10 s, while a client keeps posting events
// with Idempotency-Keys and retries what is refused. Every 202 is delivered, nothing answers 500, nothing hangs, and
// the Temporal outage refuses nothing (the outbox holds what it accepts).
import { loadConfig } from '../../src/config/config';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { makeDestination } from '../support/delivery-helpers';
import { eventually } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { relayTo, relayToAddress, type TcpRelay } from '../support/tcp-relay';
import { testEnv } from '../support/test-env';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

const START_TIMEOUT = '2s';
// Not a speed target: a request still open after this long is a hang (the configured bound is 2 s, plus a database wait).
const HANG_MS = 10_000;
const EVENTS = 40;
const POST_EVERY_MS = 500;

interface Answer {
  status: number | 'hung' | 'network';
  code: string | null;
  eventId: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function relayedUrl(url: string, relay: TcpRelay): string {
  const relayed = new URL(url);
  relayed.port = String(relay.port);
  return relayed.toString();
}

describe('faults under load', () => {
  let database: TcpRelay;
  let temporal: TcpRelay;
  let api: ApiHarness;
  let worker: WorkerProcess;
  let receiver: Receiver;

  beforeAll(async () => {
    const direct = new URL(process.env.HOOKLINE_TEST_DB_URL!);
    database = await relayTo({ host: direct.hostname, port: Number(direct.port) });
    temporal = await relayToAddress(process.env.HOOKLINE_TEST_TEMPORAL_ADDRESS!);
    // The API and the worker both reach PostgreSQL and Temporal only through the relays.
    const env = testEnv({
      DATABASE_URL: relayedUrl(direct.toString(), database),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporal.port}`,
      HOOKLINE_TEMPORAL_START_TIMEOUT: START_TIMEOUT,
      HOOKLINE_RETRY_SCHEDULE: '1s',
      HOOKLINE_RETRY_JITTER: '0',
    });
    api = await startApiHarness({}, loadConfig(env));
    worker = await startWorkerProcess(env);
    receiver = await startReceiver(() => ({ status: 200 }));
  });

  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
    await api?.close();
    await database?.close();
    await temporal?.close();
  });

  it('delivers every accepted event once per key, with no 500 and no hung request, through a database restart and a 10 s Temporal outage', async () => {
    const { key } = await api.createWorkspace('faults');
    await makeDestination(api, key, { url: `${receiver.url}/crm`, event_types: ['*'] });
    const answers = new Map<string, Answer[]>();

    /** One client request, as a careful client makes it: bounded by its own timeout. */
    const post = async (idempotencyKey: string, n: number): Promise<Answer> => {
      try {
        const response = await fetch(`${api.baseUrl}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify({ type: 'contact.created', data: { n, email: `lead${n}@example.com` } }),
          signal: AbortSignal.timeout(HANG_MS),
        });
        const body = (await response.json().catch(() => null)) as { event_id?: string; error?: { code?: string } } | null;
        return { status: response.status, code: body?.error?.code ?? null, eventId: body?.event_id ?? null };
      } catch (error) {
        return { status: (error as Error).name === 'TimeoutError' ? 'hung' : 'network', code: null, eventId: null };
      }
    };
    /** Posts until accepted, retrying refusals with the same key, as the API's Retry-After invites. */
    const client = async (n: number) => {
      const idempotencyKey = `lead-import-${n}`;
      const seen: Answer[] = [];
      answers.set(idempotencyKey, seen);
      for (;;) {
        const answer = await post(idempotencyKey, n);
        seen.push(answer);
        if (answer.status === 202) return;
        await sleep(500);
      }
    };

    const acceptedSoFar = () => [...answers.values()].flat().filter((answer) => answer.status === 202).length;
    let acceptedDuringTemporalOutage = 0;
    const faults = (async () => {
      await sleep(2_000);
      await database.cut(); // PostgreSQL restarting, as the API and the worker see it
      await sleep(3_000);
      await database.restore();
      await sleep(3_000);
      await temporal.cut(); // the Temporal frontend stopped for 10 s
      const acceptedBefore = acceptedSoFar();
      await sleep(10_000);
      acceptedDuringTemporalOutage = acceptedSoFar() - acceptedBefore;
      await temporal.restore();
    })();
    const clients: Promise<void>[] = [];
    for (let n = 0; n < EVENTS; n++) {
      clients.push(client(n));
      await sleep(POST_EVERY_MS);
    }
    await faults;
    await Promise.all(clients);

    const all = [...answers.values()].flat();
    // Each refusal was a 503: no 500, no hung or dropped request.
    const refusals = all.filter((answer) => answer.status !== 202);
    expect(refusals.filter((answer) => answer.status !== 503)).toEqual([]);
    // PostgreSQL's restart was felt; Temporal's outage was not: the outbox kept accepting while it lasted.
    expect(new Set(refusals.map((answer) => answer.code))).toEqual(new Set(['database_unavailable']));
    expect(acceptedDuringTemporalOutage).toBeGreaterThan(0);

    // One event per key, whatever number of tries it took.
    const accepted = new Map<string, string>();
    for (const [idempotencyKey, seen] of answers) {
      const ids = new Set(seen.filter((answer) => answer.status === 202).map((answer) => answer.eventId));
      expect(ids.size).toBe(1);
      accepted.set(idempotencyKey, [...ids][0]!);
    }
    const eventIds = [...accepted.values()];
    expect(new Set(eventIds).size).toBe(EVENTS);

    // Every accepted event reaches the receiver, under one webhook-id each (repeats allowed, losses never).
    await eventually(
      async () => {
        const received = new Set(receiver.requests.map((request) => (JSON.parse(request.body) as { id: string }).id));
        return eventIds.every((id) => received.has(id)) ? true : undefined;
      },
      'every accepted event at the receiver',
      120_000,
    );
    const webhookIds = new Set(receiver.requests.map((request) => request.headers['webhook-id']));
    expect(webhookIds.size).toBe(EVENTS);
  }, 180_000);
});
