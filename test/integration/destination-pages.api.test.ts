// The per-workspace destination cap (race-safe) and cursor pagination that stays stable while rows are added.
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { createDestination, destinationBody, refusal } from './destination-fixtures';

describe('destination cap and pagination', () => {
  let harness: ApiHarness;

  beforeAll(async () => {
    harness = await startApiHarness({ HOOKLINE_MAX_DESTINATIONS_PER_WORKSPACE: '5' });
  });

  afterAll(async () => {
    await harness.close();
  });

  describe('per-workspace cap', () => {
    it('refuses the destination past the cap with 409 destination_limit_reached', async () => {
      const { key } = await harness.createWorkspace('at the cap');
      for (let i = 0; i < 5; i++) await createDestination(harness, key, { name: `d${i}` });
      const response = await harness.request('POST', '/v1/destinations', { key, body: destinationBody() });
      expect(refusal(response)).toEqual({ status: 409, code: 'destination_limit_reached' });
      expect(response.body.error.message).toContain('5');
    });

    it('counts only destinations that are not deleted', async () => {
      const { key } = await harness.createWorkspace('cap after delete');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await createDestination(harness, key)).id);
      await harness.request('DELETE', `/v1/destinations/${ids[0]}`, { key });
      const response = await harness.request('POST', '/v1/destinations', { key, body: destinationBody() });
      expect(response.status).toBe(201);
    });

    it('holds under concurrent creates: exactly the cap succeeds', async () => {
      const { id: workspaceId, key } = await harness.createWorkspace('cap race');
      const responses = await Promise.all(
        Array.from({ length: 12 }, (_, i) => harness.request('POST', '/v1/destinations', { key, body: destinationBody({ name: `racer ${i}` }) })),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(5);
      expect(statuses.filter((s) => s === 409)).toHaveLength(7);
      const { count } = await harness.db
        .selectFrom('destinations')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow();
      expect(count).toBe(5);
    });

    it('applies to each workspace separately', async () => {
      const first = await harness.createWorkspace('full');
      const second = await harness.createWorkspace('empty');
      for (let i = 0; i < 5; i++) await createDestination(harness, first.key);
      expect((await harness.request('POST', '/v1/destinations', { key: second.key, body: destinationBody() })).status).toBe(201);
    });
  });

  describe('cursor pagination', () => {
    let key: string;
    const created: string[] = [];

    beforeAll(async () => {
      ({ key } = await harness.createWorkspace('pages'));
      for (let i = 0; i < 5; i++) created.push((await createDestination(harness, key, { name: `page item ${i}` })).id);
    });

    it('returns pages of the requested size, oldest first, and a null cursor on the last page', async () => {
      const first = await harness.request('GET', '/v1/destinations?limit=2', { key });
      expect(first.status).toBe(200);
      expect(first.body.data.map((d: { id: string }) => d.id)).toEqual(created.slice(0, 2));
      expect(first.body.next_cursor).toEqual(expect.any(String));

      const second = await harness.request('GET', `/v1/destinations?limit=2&cursor=${first.body.next_cursor}`, { key });
      expect(second.body.data.map((d: { id: string }) => d.id)).toEqual(created.slice(2, 4));

      const third = await harness.request('GET', `/v1/destinations?limit=2&cursor=${second.body.next_cursor}`, { key });
      expect(third.body.data.map((d: { id: string }) => d.id)).toEqual(created.slice(4));
      expect(third.body.next_cursor).toBeNull();
    });

    it('defaults to 20 per page', async () => {
      const response = await harness.request('GET', '/v1/destinations', { key });
      expect(response.body.data).toHaveLength(5);
      expect(response.body.next_cursor).toBeNull();
    });

    it('neither repeats nor skips rows when destinations are created between pages', async () => {
      const first = await harness.request('GET', '/v1/destinations?limit=3', { key });
      await harness.request('DELETE', `/v1/destinations/${created[4]}`, { key });
      const added = await createDestination(harness, key, { name: 'added while paging' });
      const rest = await harness.request('GET', `/v1/destinations?limit=100&cursor=${first.body.next_cursor}`, { key });
      const seen = [...first.body.data, ...rest.body.data].map((d: { id: string }) => d.id);
      expect(seen).toEqual([...created.slice(0, 4), added.id]);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it.each([
      ['limit=0', 'validation_failed'],
      ['limit=101', 'validation_failed'],
      ['limit=abc', 'validation_failed'],
      ['cursor=%%%', 'invalid_cursor'],
      ['cursor=bm90LWEtY3Vyc29y!', 'invalid_cursor'],
    ])('refuses %s with 400 %s', async (query, code) => {
      const response = await harness.request('GET', `/v1/destinations?${query}`, { key });
      expect(refusal(response)).toEqual({ status: 400, code });
    });
  });
});
