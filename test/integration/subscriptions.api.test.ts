// A destination's subscription set: read and replaced through its own route, and the same set as its event_types field.
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { createDestination, refusal } from './destination-fixtures';

describe('destination subscriptions API', () => {
  let harness: ApiHarness;
  let key: string;

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ key } = await harness.createWorkspace('subscriptions'));
  });

  afterAll(async () => {
    await harness.close();
  });

  it('starts empty when a destination is created without event types (it receives nothing)', async () => {
    const { id } = await createDestination(harness, key);
    const response = await harness.request('GET', `/v1/destinations/${id}/subscriptions`, { key });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ event_types: [] });
  });

  it('lists the event types given at create', async () => {
    const { id } = await createDestination(harness, key, { event_types: ['contact.updated', 'contact.created'] });
    const response = await harness.request('GET', `/v1/destinations/${id}/subscriptions`, { key });
    expect(response.body).toEqual({ event_types: ['contact.created', 'contact.updated'] });
  });

  it('replaces the whole set with PUT, names and wildcards alike', async () => {
    const { id } = await createDestination(harness, key, { event_types: ['contact.created'] });
    const put = await harness.request('PUT', `/v1/destinations/${id}/subscriptions`, {
      key,
      body: { event_types: ['campaign.email.open', 'lead.*', '*'] },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ event_types: ['*', 'campaign.email.open', 'lead.*'] });
    const read = await harness.request('GET', `/v1/destinations/${id}/subscriptions`, { key });
    expect(read.body).toEqual(put.body);
  });

  it('is the same set as the destination’s event_types field, both ways', async () => {
    const { id } = await createDestination(harness, key);
    await harness.request('PUT', `/v1/destinations/${id}/subscriptions`, { key, body: { event_types: ['contact.deleted'] } });
    expect((await harness.request('GET', `/v1/destinations/${id}`, { key })).body.event_types).toEqual(['contact.deleted']);

    await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: { event_types: ['contact.subscribed', 'contact.unsubscribed'] } });
    const read = await harness.request('GET', `/v1/destinations/${id}/subscriptions`, { key });
    expect(read.body).toEqual({ event_types: ['contact.subscribed', 'contact.unsubscribed'] });
  });

  it('keeps the subscriptions when a PATCH does not mention event_types', async () => {
    const { id } = await createDestination(harness, key, { event_types: ['contact.created'] });
    await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: { name: 'renamed' } });
    expect((await harness.request('GET', `/v1/destinations/${id}/subscriptions`, { key })).body).toEqual({ event_types: ['contact.created'] });
  });

  it('unsubscribes from everything with an empty list', async () => {
    const { id } = await createDestination(harness, key, { event_types: ['*'] });
    const response = await harness.request('PUT', `/v1/destinations/${id}/subscriptions`, { key, body: { event_types: [] } });
    expect(response.body).toEqual({ event_types: [] });
    const rows = await harness.db.selectFrom('subscriptions').selectAll().where('destination_id', '=', id).execute();
    expect(rows).toEqual([]);
  });

  it('deduplicates the set', async () => {
    const { id } = await createDestination(harness, key);
    const response = await harness.request('PUT', `/v1/destinations/${id}/subscriptions`, {
      key,
      body: { event_types: ['contact.created', 'contact.created'] },
    });
    expect(response.body).toEqual({ event_types: ['contact.created'] });
  });

  it.each([
    ['an upper-case name', ['Contact.Created'], 422, 'invalid_event_type'],
    ['a name with spaces', ['contact created'], 422, 'invalid_event_type'],
    ['a single-word name', ['contact'], 422, 'invalid_event_type'],
    ['a wildcard that is not at the end', ['*.created'], 422, 'invalid_event_type'],
    ['a partial wildcard', ['contact.cre*'], 422, 'invalid_event_type'],
    ['more than 100 entries', Array.from({ length: 101 }, (_, i) => `contact.kind_${i}`), 400, 'validation_failed'],
    ['an empty string', [''], 400, 'validation_failed'],
  ])('refuses %s', async (_label, eventTypes, status, code) => {
    const { id } = await createDestination(harness, key, { event_types: ['contact.created'] });
    const response = await harness.request('PUT', `/v1/destinations/${id}/subscriptions`, { key, body: { event_types: eventTypes } });
    expect(refusal(response)).toEqual({ status, code });
    expect((await harness.request('GET', `/v1/destinations/${id}/subscriptions`, { key })).body).toEqual({ event_types: ['contact.created'] });
  });

  it('names the refused entry by its index', async () => {
    const { id } = await createDestination(harness, key);
    const response = await harness.request('PUT', `/v1/destinations/${id}/subscriptions`, {
      key,
      body: { event_types: ['contact.created', 'BAD'] },
    });
    expect(response.body.error.details[0].path).toBe('body.event_types.1');
  });

  it('refuses a body without event_types with 400 validation_failed', async () => {
    const { id } = await createDestination(harness, key);
    const response = await harness.request('PUT', `/v1/destinations/${id}/subscriptions`, { key, body: {} });
    expect(refusal(response)).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('answers 404 for a deleted destination', async () => {
    const { id } = await createDestination(harness, key);
    await harness.request('DELETE', `/v1/destinations/${id}`, { key });
    expect(refusal(await harness.request('GET', `/v1/destinations/${id}/subscriptions`, { key }))).toEqual({ status: 404, code: 'not_found' });
    const put = await harness.request('PUT', `/v1/destinations/${id}/subscriptions`, { key, body: { event_types: ['*'] } });
    expect(refusal(put)).toEqual({ status: 404, code: 'not_found' });
  });
});
