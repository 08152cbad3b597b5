// Erasure by subject on the real stack: no trace of the subject's data in any table, answer or Temporal history, other subjects untouched, later events delivered as usual; and the export.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { subjectHash } from '../../src/domain/retention';
import { eventWhen, makeDestination, postEvent } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

const run = promisify(execFile);
const ERASED = { subject: 'contact_erase_me', email: 'erase.me@example.com', name: 'Zoë Forgotten' };
const KEPT = { subject: 'contact_keep_me', email: 'keep.me@example.com' };

describe('erasure and export by subject', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let connection: Connection;

  beforeAll(async () => {
    hookline = await startHookline();
    receiver = await startReceiver((request) => ({ status: 200, body: `got ${request.body.slice(0, 200)}` }));
    connection = await Connection.connect({ address: hookline.config.temporal.address });
  });

  afterAll(async () => {
    await connection?.close();
    await receiver?.close();
    await hookline?.close();
  });

  /** Every row of every table Hookline writes, as text: where a trace of the subject would show. */
  async function everyRow(): Promise<string> {
    const tables = await hookline.db
      .selectFrom('information_schema.tables' as never)
      .select('table_name' as never)
      .where('table_schema' as never, '=', 'public' as never)
      .execute();
    const texts: string[] = [];
    for (const { table_name } of tables as { table_name: string }[]) {
      texts.push(
        JSON.stringify(
          await hookline.db
            .selectFrom(table_name as never)
            .selectAll()
            .execute(),
        ),
      );
    }
    return texts.join('\n');
  }

  it("erases one subject's events, bodies, unsent deliveries and Temporal histories, leaving other subjects and later events alone", async () => {
    const { key, id: workspaceId } = await hookline.createWorkspace();
    await makeDestination(hookline, key, { url: `${receiver.url}/crm?email={{data.email}}`, event_types: ['contact.*'] });
    const paused = await makeDestination(hookline, key, { url: `${receiver.url}/paused`, event_types: ['contact.*'], enabled: false });
    const erasedIds = [
      await postEvent(hookline, key, { type: 'contact.created', data: { email: ERASED.email, name: ERASED.name }, subject: ERASED.subject }),
      await postEvent(hookline, key, { type: 'contact.updated', data: { email: ERASED.email, name: ERASED.name }, subject: ERASED.subject }),
    ];
    const keptId = await postEvent(hookline, key, { type: 'contact.created', data: { email: KEPT.email }, subject: KEPT.subject });
    for (const id of [...erasedIds, keptId]) {
      await eventWhen(hookline, key, id, (e) => e.deliveries.length === 2 && e.deliveries.some((d: any) => d.status === 'succeeded'), 'its deliveries');
    }
    const plain = new Client({ connection, namespace: hookline.config.temporal.namespace });
    const hash = subjectHash(hookline.config.encryptionKey, workspaceId, ERASED.subject);
    const bySubject = async () => {
      const found: string[] = [];
      for await (const execution of plain.workflow.list({ query: `HooklineSubjectHash = '${hash}'` })) found.push(execution.workflowId);
      return found;
    };
    // Two event workflows and the two held deliveries' own workflows carry the hash.
    await eventually(async () => ((await bySubject()).length >= 4 ? true : undefined), 'the workflows to be listed by the subject hash');

    const accepted = await hookline.request('POST', '/v1/subjects/erase', { key, body: { subject: ERASED.subject } });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'running', events_erased: 2, deliveries_cancelled: 2, requested_by: expect.stringMatching(/^api_key:/) });
    const done = await eventually(
      async () => {
        const answer = await hookline.request('GET', `/v1/erasures/${accepted.body.id}`, { key });
        return answer.body.status === 'completed' ? answer.body : undefined;
      },
      'the erasure to complete',
      60_000,
    );
    expect(done.workflows_deleted).toBeGreaterThanOrEqual(4);

    // PostgreSQL, every table; the API's answers; Temporal's list by the hash, and by the CLI.
    const rows = await everyRow();
    for (const trace of [ERASED.subject, ERASED.email, encodeURIComponent(ERASED.email), ERASED.name]) expect(rows).not.toContain(trace);
    for (const id of erasedIds) {
      const event = (await hookline.request('GET', `/v1/events/${id}`, { key })).body;
      expect(event).toMatchObject({ id, data: null, subject: null, payload: 'erased' });
      const statuses = event.deliveries.map((d: any) => d.status).sort();
      expect(statuses).toEqual(['erased', 'succeeded']);
      for (const summary of event.deliveries) {
        const delivery = (await hookline.request('GET', `/v1/deliveries/${summary.id}`, { key })).body;
        expect(JSON.stringify(delivery)).not.toContain(ERASED.email);
      }
    }
    expect((await hookline.request('GET', `/v1/subjects/${ERASED.subject}/events`, { key })).body.data).toEqual([]);
    await eventually(async () => ((await bySubject()).length === 0 ? true : undefined), 'no workflow listed by the subject hash');
    const cli = await run(process.env.TEMPORAL_CLI_PATH!, [
      'workflow',
      'list',
      '--address',
      hookline.config.temporal.address,
      '--namespace',
      hookline.config.temporal.namespace,
      '--query',
      `HooklineSubjectHash = '${hash}'`,
      '--output',
      'json',
    ]);
    expect(JSON.parse(cli.stdout || '[]')).toEqual([]);
    const erasures = (await hookline.request('GET', '/v1/erasures', { key })).body.data;
    expect(JSON.stringify(erasures)).not.toContain(ERASED.subject);

    // The other subject is untouched: its data, its export, its workflow history.
    const kept = (await hookline.request('GET', `/v1/subjects/${KEPT.subject}/events`, { key })).body.data;
    expect(kept).toEqual([expect.objectContaining({ id: keptId, payload: 'kept', data: { email: KEPT.email }, deliveries: expect.any(Array) })]);
    expect((await plain.workflow.getHandle(`event-${keptId}`).describe()).workflowId).toBe(`event-${keptId}`);

    // A new event of the erased subject is delivered as usual.
    await hookline.request('PATCH', `/v1/destinations/${paused.id}`, { key, body: { enabled: true } });
    const later = await postEvent(hookline, key, { type: 'contact.created', data: { email: 'new.address@example.com' }, subject: ERASED.subject });
    await eventWhen(
      hookline,
      key,
      later,
      (e) => e.deliveries.length === 2 && e.deliveries.every((d: any) => d.status === 'succeeded'),
      'the later event delivered',
    );
    expect((await hookline.request('GET', `/v1/subjects/${ERASED.subject}/events`, { key })).body.data.map((e: any) => e.id)).toEqual([later]);
  });

  it('answers 404 for another workspace’s erasure and 400 for an empty subject', async () => {
    const first = await hookline.createWorkspace();
    const second = await hookline.createWorkspace();
    const accepted = await hookline.request('POST', '/v1/subjects/erase', { key: first.key, body: { subject: 'nobody' } });
    expect(accepted.body).toMatchObject({ events_erased: 0, deliveries_cancelled: 0 });
    expect((await hookline.request('GET', `/v1/erasures/${accepted.body.id}`, { key: second.key })).status).toBe(404);
    const empty = await hookline.request('POST', '/v1/subjects/erase', { key: first.key, body: { subject: '' } });
    expect(empty.status).toBe(400);
  });
});
