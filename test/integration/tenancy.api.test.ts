// Workspace isolation on every configuration route: another workspace's ids answer 404 and nothing of theirs changes.
import { openSecret } from '../../src/domain/secret-box';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { createDestination, destinationBody, refusal } from './destination-fixtures';

describe('workspace isolation of the configuration API', () => {
  let harness: ApiHarness;
  let owner: { id: string; key: string };
  let intruder: { id: string; key: string };
  let destination: { id: string; secret: string; body: Record<string, unknown> };

  beforeAll(async () => {
    harness = await startApiHarness();
    owner = await harness.createWorkspace('owner');
    intruder = await harness.createWorkspace('intruder');
    destination = await createDestination(harness, owner.key, { name: 'owned', event_types: ['contact.created'] });
    await harness.request('PUT', '/v1/event-types/lead.private', {
      key: owner.key,
      body: { description: 'owner only', schema: { type: 'object' }, example: { secret_field: 'owner data' } },
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  /** Every route that names one of the owner's resources, as the intruder would call it (`:id` is the owner's destination). */
  const foreignCalls: Array<[string, string, unknown]> = [
    ['GET', '/v1/destinations/:id', undefined],
    ['PATCH', '/v1/destinations/:id', { name: 'hijacked', url: 'https://attacker.example.com/in' }],
    ['PATCH', '/v1/destinations/:id', { enabled: false }],
    ['DELETE', '/v1/destinations/:id', undefined],
    ['POST', '/v1/destinations/:id/rotate-secret', {}],
    ['GET', '/v1/destinations/:id/subscriptions', undefined],
    ['PUT', '/v1/destinations/:id/subscriptions', { event_types: ['*'] }],
    ['GET', '/v1/event-types/lead.private', undefined],
  ];
  const pathOf = (template: string) => template.replace(':id', destination.id);

  it.each(foreignCalls)('answers %s %s from another workspace with 404 not_found', async (method, template, body) => {
    const response = await harness.request(method, pathOf(template), { key: intruder.key, body });
    expect(refusal(response)).toEqual({ status: 404, code: 'not_found' });
    expect(JSON.stringify(response.body)).not.toContain('owned');
  });

  it('leaves the owner’s destination exactly as it was after every foreign call', async () => {
    const sealedBefore = (await harness.db.selectFrom('destinations').select('secret_sealed').where('id', '=', destination.id).executeTakeFirstOrThrow())
      .secret_sealed;
    for (const [method, template, body] of foreignCalls) await harness.request(method, pathOf(template), { key: intruder.key, body });

    const read = await harness.request('GET', `/v1/destinations/${destination.id}`, { key: owner.key });
    expect(read.status).toBe(200);
    const { secret: _secret, ...created } = destination.body;
    expect(read.body).toEqual(created);
    const row = await harness.db.selectFrom('destinations').selectAll().where('id', '=', destination.id).executeTakeFirstOrThrow();
    expect(row.deleted_at).toBeNull();
    expect(row.secret_sealed).toBe(sealedBefore);
    expect(row.previous_secret_sealed).toBeNull();
    expect(openSecret(row.secret_sealed, harness.config.encryptionKey)).toBe(destination.secret);
    const subscriptions = await harness.request('GET', `/v1/destinations/${destination.id}/subscriptions`, { key: owner.key });
    expect(subscriptions.body).toEqual({ event_types: ['contact.created'] });
  });

  it('lists only the caller’s own destinations', async () => {
    const mine = await createDestination(harness, intruder.key, { name: 'intruder own' });
    const theirs = await harness.request('GET', '/v1/destinations?limit=100', { key: intruder.key });
    const ids = theirs.body.data.map((d: { id: string }) => d.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(destination.id);
    const ownerList = await harness.request('GET', '/v1/destinations?limit=100', { key: owner.key });
    expect(ownerList.body.data.map((d: { id: string }) => d.id)).not.toContain(mine.id);
  });

  it('does not let a cursor made from another workspace’s id reveal its rows', async () => {
    const cursor = Buffer.from('dst_0', 'utf8').toString('base64url');
    const response = await harness.request('GET', `/v1/destinations?limit=100&cursor=${cursor}`, { key: intruder.key });
    expect(response.body.data.map((d: { id: string }) => d.id)).not.toContain(destination.id);
  });

  it('keeps event types per workspace: registering the same name does not touch the other’s', async () => {
    const put = await harness.request('PUT', '/v1/event-types/lead.private', { key: intruder.key, body: { description: 'intruder copy' } });
    expect(put.status).toBe(201);
    const ownerType = await harness.request('GET', '/v1/event-types/lead.private', { key: owner.key });
    expect(ownerType.body).toMatchObject({ description: 'owner only', schema: { type: 'object' }, example: { secret_field: 'owner data' } });
    const intruderList = await harness.request('GET', '/v1/event-types?limit=100', { key: intruder.key });
    expect(JSON.stringify(intruderList.body)).not.toContain('owner data');
  });

  it('counts the destination cap per workspace', async () => {
    const count = async (workspaceId: string) =>
      (
        await harness.db
          .selectFrom('destinations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('workspace_id', '=', workspaceId)
          .executeTakeFirstOrThrow()
      ).n;
    const before = await count(owner.id);
    await harness.request('POST', '/v1/destinations', { key: intruder.key, body: destinationBody() });
    expect(await count(owner.id)).toBe(before);
  });

  describe('without valid credentials', () => {
    const routes: Array<[string, string]> = [
      ['POST', '/v1/destinations'],
      ['GET', '/v1/destinations'],
      ['GET', '/v1/destinations/dst_x'],
      ['PATCH', '/v1/destinations/dst_x'],
      ['DELETE', '/v1/destinations/dst_x'],
      ['POST', '/v1/destinations/dst_x/rotate-secret'],
      ['GET', '/v1/destinations/dst_x/subscriptions'],
      ['PUT', '/v1/destinations/dst_x/subscriptions'],
      ['GET', '/v1/event-types'],
      ['GET', '/v1/event-types/contact.created'],
      ['PUT', '/v1/event-types/contact.created'],
    ];

    const bodyFor = (method: string) => (method === 'GET' || method === 'DELETE' ? undefined : {});

    it.each(routes)('%s %s answers 401 unauthorized without a key', async (method, path) => {
      const response = await harness.request(method, path, { body: bodyFor(method) });
      expect(refusal(response)).toEqual({ status: 401, code: 'unauthorized' });
    });

    it.each(routes)('%s %s answers 401 unauthorized with a wrong key', async (method, path) => {
      const response = await harness.request(method, path, { key: 'hk_not-a-real-key', body: bodyFor(method) });
      expect(refusal(response)).toEqual({ status: 401, code: 'unauthorized' });
    });

    it('does not accept the admin token as a workspace key', async () => {
      const response = await harness.request('GET', '/v1/destinations', { key: harness.adminToken });
      expect(refusal(response)).toEqual({ status: 401, code: 'unauthorized' });
    });

    it('answers 401 with the error shape and no stack trace', async () => {
      const response = await harness.request('GET', '/v1/destinations', {});
      expect(Object.keys(response.body)).toEqual(['error']);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
    });
  });
});
