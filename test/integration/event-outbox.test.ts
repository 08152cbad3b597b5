// The ingestion outbox: 202 once PostgreSQL holds the event, workflows started by the relays of every worker, once each, through crashes.
import { loadConfig } from '../../src/config/config';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { relayToAddress, type TcpRelay } from '../support/tcp-relay';
import { testEnv } from '../support/test-env';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

function receivedEventIds(receiver: Receiver, path: string): string[] {
  return receiver.requests.filter((request) => request.path === path).map((request) => JSON.parse(request.body).id as string);
}

describe('the ingestion outbox', () => {
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
  });

  afterAll(async () => {
    await receiver?.close();
  });

  describe('with one worker', () => {
    let hookline: HooklineHarness;

    beforeAll(async () => {
      hookline = await startHookline();
    });

    afterAll(async () => {
      await hookline?.close();
    });

    it('answers 202 once the event is committed, with no worker running, and the worker started later delivers it', async () => {
      const { key } = await hookline.createWorkspace('outbox, no worker');
      await makeDestination(hookline, key, { url: `${receiver.url}/later`, event_types: ['contact.*'] });
      await hookline.stopWorker();

      const accepted: string[] = [];
      for (let n = 0; n < 3; n++) accepted.push(await postEvent(hookline, key, { type: 'contact.created', data: { n } }));
      const event = await hookline.request('GET', `/v1/events/${accepted[0]}`, { key });
      expect(event.body).toMatchObject({ id: accepted[0], status: 'accepted', deliveries: [] });
      const waiting = await hookline.db.selectFrom('event_outbox').select('event_id').where('event_id', 'in', accepted).execute();
      expect(waiting.map((row) => row.event_id).sort()).toEqual([...accepted].sort());

      await hookline.startWorker();
      for (const eventId of accepted) await onlyDeliveryOf(hookline, key, eventId, 'succeeded');
      expect(receivedEventIds(receiver, '/later').sort()).toEqual([...accepted].sort());
      // Planning took each event out of the outbox as it inserted its deliveries.
      expect(await hookline.db.selectFrom('event_outbox').select('event_id').where('event_id', 'in', accepted).execute()).toEqual([]);
    });
  });

  describe('with a flood from one workspace', () => {
    let hookline: HooklineHarness;

    beforeAll(async () => {
      hookline = await startHookline();
    });

    afterAll(async () => {
      await hookline?.close();
    });

    it('starts another workspace’s event in the first round, not behind the flood', async () => {
      const flood = await hookline.createWorkspace('outbox, flooding');
      const quiet = await hookline.createWorkspace('outbox, quiet');
      await makeDestination(hookline, quiet.key, { url: `${receiver.url}/quiet`, event_types: ['contact.*'] });
      await hookline.stopWorker();
      for (let wave = 0; wave < 20; wave++) {
        await Promise.all(Array.from({ length: 20 }, (_, n) => postEvent(hookline, flood.key, { type: 'import.row', data: { wave, n } })));
      }
      const eventId = await postEvent(hookline, quiet.key, { type: 'contact.created', data: { id: 'c_quiet' } });

      await hookline.startWorker();
      await onlyDeliveryOf(hookline, quiet.key, eventId, 'succeeded');
      // Accepted last, delivered while most of the flood still waits: claims take a share of each workspace.
      const floodWaiting = await hookline.db.selectFrom('event_outbox').select('event_id').where('workspace_id', '=', flood.id).execute();
      expect(floodWaiting.length).toBeGreaterThan(200);
      await eventually(
        async () =>
          (await hookline.db.selectFrom('event_outbox').select('event_id').where('workspace_id', '=', flood.id).execute()).length === 0 ? true : undefined,
        'the flood to be planned',
        60_000,
      );
    }, 90_000);
  });

  describe('with two workers relaying at once', () => {
    let hookline: HooklineHarness;
    let second: WorkerProcess;

    beforeAll(async () => {
      const queue = { HOOKLINE_TASK_QUEUE: `outbox-pair-${Date.now()}` };
      hookline = await startHookline(queue);
      second = await startWorkerProcess(testEnv(queue));
    });

    afterAll(async () => {
      await second?.stop();
      await hookline?.close();
    });

    it('starts every event exactly once: none missed, none delivered twice', async () => {
      const { key } = await hookline.createWorkspace('outbox, two relays');
      await makeDestination(hookline, key, { url: `${receiver.url}/pair`, event_types: ['order.*'] });
      const accepted: string[] = [];
      for (let wave = 0; wave < 4; wave++) {
        const ids = await Promise.all(Array.from({ length: 15 }, (_, n) => postEvent(hookline, key, { type: 'order.placed', data: { wave, n } })));
        accepted.push(...ids);
      }
      for (const eventId of accepted) await onlyDeliveryOf(hookline, key, eventId, 'succeeded', 60_000);
      const received = receivedEventIds(receiver, '/pair');
      expect(received.length).toBe(accepted.length);
      expect(new Set(received)).toEqual(new Set(accepted));
    }, 90_000);
  });

  describe('a worker killed between claiming an event and starting its workflow', () => {
    let api: ApiHarness;
    let temporal: TcpRelay;
    let env: Record<string, string>;
    let first: WorkerProcess | undefined;
    let next: WorkerProcess | undefined;

    beforeAll(async () => {
      env = testEnv({ HOOKLINE_TASK_QUEUE: `outbox-crash-${Date.now()}` });
      const direct = env.TEMPORAL_ADDRESS!;
      temporal = await relayToAddress(direct);
      api = await startApiHarness({}, loadConfig(env));
    });

    afterAll(async () => {
      await first?.crash();
      await next?.stop();
      await api?.close();
      await temporal?.close();
    });

    it('leaves it to the next relay once the lease lapses, and it is delivered once', async () => {
      const { key } = await api.createWorkspace('outbox crash');
      await makeDestination(api, key, { url: `${receiver.url}/crash`, event_types: ['lead.*'] });
      // Its starts go through a relay that is about to hang, with a deadline far away: it claims, then waits.
      first = await startWorkerProcess({
        ...env,
        TEMPORAL_ADDRESS: `127.0.0.1:${temporal.port}`,
        HOOKLINE_RELAY_LEASE: '3s',
        HOOKLINE_TEMPORAL_START_TIMEOUT: '60s',
      });
      temporal.stall();
      const eventId = await postEvent(api, key, { type: 'lead.scored', data: { score: 91 } });
      await eventually(async () => {
        const row = await api.db.selectFrom('event_outbox').select('start_attempts').where('event_id', '=', eventId).executeTakeFirst();
        return row && row.start_attempts >= 1 ? true : undefined;
      }, 'the first worker to claim the event');

      await first.crash();
      first = undefined;
      await temporal.restore();
      next = await startWorkerProcess(env);
      await onlyDeliveryOf(api, key, eventId, 'succeeded', 60_000);
      expect(receivedEventIds(receiver, '/crash')).toEqual([eventId]);
      const outbox = await api.db.selectFrom('event_outbox').select('event_id').where('event_id', '=', eventId).execute();
      expect(outbox).toEqual([]);
    }, 120_000);
  });
});
