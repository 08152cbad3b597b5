// A purge run whose worker is SIGKILLed part-way finishes on the worker that takes over, from where it had got to.
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/config';
import { triggerPurge } from '../../src/orchestration/purge-schedule';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { eventually } from '../support/hookline-harness';
import { testEnv } from '../support/test-env';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

const EVENTS = 20_000;

describe('the retention purge after a crash', () => {
  // Small batches, so the run is mid-way for long enough to be killed there.
  const env = testEnv({ HOOKLINE_PURGE_BATCH: '20' });
  let api: ApiHarness;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    api = await startApiHarness({}, loadConfig(env));
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await api?.close();
  });

  const remaining = async (workspaceId: string) =>
    Number(
      (
        await api.db
          .selectFrom('events')
          .select(sql<string>`count(*)`.as('n'))
          .where('workspace_id', '=', workspaceId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('deletes every expired record although the worker running it was SIGKILLed part-way', async () => {
    const { id: workspaceId, key } = await api.createWorkspace();
    await api.request('PATCH', '/v1/retention', { key, body: { payload_retention_seconds: 1, record_retention_seconds: 2 } });
    // A day-old backlog, written directly: the purge, not ingestion, is under test.
    await sql`
      INSERT INTO events (id, workspace_id, type, data, subject, occurred_at, received_at, workflow_id)
      SELECT 'evt_purge_' || n, ${workspaceId}, 'contact.created', jsonb_build_object('email', 'person' || n || '@example.com'), NULL,
             now() - interval '1 day', now() - interval '1 day', 'event-evt_purge_' || n
        FROM generate_series(1, ${EVENTS}) AS n`.execute(api.db);
    workers.push(await startWorkerProcess(env));

    // The worker makes the schedule once its build is current, moments after it polls.
    await eventually(() => triggerPurge(api.temporal, api.config).then(() => true), 'the retention schedule to exist');
    await eventually(async () => ((await remaining(workspaceId)) < EVENTS - 1_000 ? true : undefined), 'the purge to be under way');
    await workers[0]!.crash();
    const left = await remaining(workspaceId);
    // Killed part-way, or this proves nothing.
    expect(left).toBeGreaterThan(0);

    workers.push(await startWorkerProcess(env));
    await eventually(async () => ((await remaining(workspaceId)) === 0 ? true : undefined), 'every expired event to be purged', 120_000);
  }, 180_000);
});
