// Two API replicas cache keys and schema versions; a change on one reaches the other through PostgreSQL's notifications.
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { eventually } from '../support/hookline-harness';

const SCHEMA = { type: 'object', required: ['email'], properties: { email: { type: 'string' } } };

describe('the API replicas’ lookup caches', () => {
  let one: ApiHarness;
  let other: ApiHarness;

  beforeAll(async () => {
    [one, other] = await Promise.all([startApiHarness(), startApiHarness()]);
  });

  afterAll(async () => {
    await Promise.all([one?.close(), other?.close()]);
  });

  it('stop honouring a key revoked on another replica, within the notification’s delivery', async () => {
    const { id, key } = await one.createWorkspace('revoked elsewhere');
    // Used (and so cached) on the other replica first.
    expect((await other.request('GET', '/v1/destinations', { key })).status).toBe(200);
    expect((await other.request('GET', '/v1/destinations', { key })).status).toBe(200);

    const keys = await one.request('GET', `/v1/workspaces/${id}/api-keys`, { admin: true });
    expect((await one.request('DELETE', `/v1/workspaces/${id}/api-keys/${keys.body.data[0].id}`, { admin: true })).status).toBe(204);
    const refused = await eventually(
      async () => {
        const answer = await other.request('GET', '/v1/destinations', { key });
        return answer.status === 401 ? answer : undefined;
      },
      'the other replica to refuse the revoked key',
      2_000,
    );
    expect(refused.body.error.code).toBe('unauthorized');
    expect((await one.request('POST', '/v1/events', { key, body: { type: 'contact.created', data: {} } })).status).toBe(401);
  });

  it('validate against a schema registered on another replica, after events of the type went through without one', async () => {
    const { key } = await one.createWorkspace('schema elsewhere');
    const event = { type: 'lead.created', data: { name: 'no email' } };
    // No schema yet: accepted, and "no schema" is what the other replica now holds for the type.
    expect((await other.request('POST', '/v1/events', { key, body: event })).status).toBe(202);

    expect((await one.request('PUT', '/v1/event-types/lead.created', { key, body: { schema: SCHEMA } })).status).toBe(201);
    const refused = await eventually(
      async () => {
        const answer = await other.request('POST', '/v1/events', { key, body: event });
        return answer.status === 422 ? answer : undefined;
      },
      'the other replica to apply the new schema',
      2_000,
    );
    expect(refused.body.error.code).toBe('payload_schema_mismatch');
    expect((await other.request('POST', '/v1/events', { key, body: { type: 'lead.created', data: { email: 'a@example.com' } } })).status).toBe(202);
  });
});
