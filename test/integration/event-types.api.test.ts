// The event catalog: default types per workspace, registering types with a JSON Schema and example, listing them.
import { DEFAULT_EVENT_TYPES } from '../../src/domain/event-catalog';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { refusal } from './destination-fixtures';

const contactSchema = {
  type: 'object',
  required: ['id', 'email'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string', format: 'email' },
    score: { type: 'integer', minimum: 0 },
  },
};

describe('event types API', () => {
  let harness: ApiHarness;
  let key: string;

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ key } = await harness.createWorkspace('catalog'));
  });

  afterAll(async () => {
    await harness.close();
  });

  const put = (name: string, body: unknown) => harness.request('PUT', `/v1/event-types/${name}`, { key, body });

  describe('defaults', () => {
    it('registers the contact lifecycle types, webhook.test and webhook.auto_disabled for a new workspace', async () => {
      const { key: freshKey } = await harness.createWorkspace('fresh');
      const response = await harness.request('GET', '/v1/event-types', { key: freshKey });
      expect(response.status).toBe(200);
      expect(response.body.data.map((t: { name: string }) => t.name)).toEqual([
        'contact.created',
        'contact.deleted',
        'contact.subscribed',
        'contact.unsubscribed',
        'contact.updated',
        'webhook.auto_disabled',
        'webhook.test',
      ]);
      expect(response.body.next_cursor).toBeNull();
    });

    it('gives every default a description and an example payload', async () => {
      const { key: freshKey } = await harness.createWorkspace('fresh examples');
      for (const type of DEFAULT_EVENT_TYPES) {
        const response = await harness.request('GET', `/v1/event-types/${type.name}`, { key: freshKey });
        expect(response.status).toBe(200);
        expect(response.body.description.length).toBeGreaterThan(10);
        expect(response.body.example).toEqual(type.example);
      }
    });

    it('uses a contact with id, email, names and list ids as the contact example', async () => {
      const response = await harness.request('GET', '/v1/event-types/contact.created', { key });
      expect(response.body.example).toMatchObject({
        id: expect.any(String),
        email: expect.stringContaining('@'),
        first_name: expect.any(String),
        last_name: expect.any(String),
        list_ids: expect.any(Array),
      });
    });

    it('uses a fixed message as the webhook.test example', async () => {
      const response = await harness.request('GET', '/v1/event-types/webhook.test', { key });
      expect(response.body.example).toEqual({ message: 'This is a test webhook from Hookline' });
      expect(response.body.schema).toBeNull();
    });
  });

  describe('registering', () => {
    it('creates a type with 201 and reads it back', async () => {
      const example = { id: 'ld_1', email: 'lead@example.com', score: 80 };
      const response = await put('lead.scored', { description: 'A lead was scored.', schema: contactSchema, example });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ name: 'lead.scored', description: 'A lead was scored.', schema: contactSchema, example });
      const read = await harness.request('GET', '/v1/event-types/lead.scored', { key });
      expect(read.body).toEqual(response.body);
    });

    it('accepts deeper dotted names', async () => {
      expect((await put('lead.task.update', { description: 'A task changed.' })).status).toBe(201);
      expect((await put('campaign.email.open', {})).status).toBe(201);
    });

    it('replaces an existing type with 200, resetting fields left out', async () => {
      await put('list.create', { description: 'first', schema: { type: 'object' }, example: { id: 1 } });
      const response = await put('list.create', { description: 'second' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ name: 'list.create', description: 'second', schema: null, example: null });
      expect(new Date(response.body.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(response.body.created_at).getTime());
    });

    it('can replace a default type, for example to add a schema to contact.created', async () => {
      const { key: ownKey } = await harness.createWorkspace('own schema');
      const response = await harness.request('PUT', '/v1/event-types/contact.created', {
        key: ownKey,
        body: { description: 'Contact created', schema: contactSchema, example: { id: 'c1', email: 'a@example.com' } },
      });
      expect(response.status).toBe(200);
      expect(response.body.schema).toEqual(contactSchema);
    });

    it('accepts a draft-07 schema that says so', async () => {
      const schema = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', definitions: { id: { type: 'string' } } };
      expect((await put('tag.create', { schema })).status).toBe(201);
    });

    it.each([
      ['capitals', 'Contact.Created'],
      ['a single word', 'contact'],
      ['a wildcard', 'contact.*'],
      ['a leading digit', '1contact.created'],
      ['an empty segment', 'contact..created'],
    ])('refuses a name with %s with 422 invalid_event_type', async (_label, name) => {
      expect(refusal(await put(encodeURIComponent(name), {}))).toEqual({ status: 422, code: 'invalid_event_type' });
    });

    it.each([
      ['an unknown type keyword value', { type: 'strin' }],
      ['a required list that is not a list', { type: 'object', required: 'email' }],
      ['a $ref to another server', { $ref: 'https://schemas.example.com/contact.json' }],
      ['a $ref that resolves nowhere', { $ref: '#/$defs/missing' }],
      ['an unsupported $schema draft', { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' }],
    ])('refuses a schema with %s with 422 invalid_schema', async (_label, schema) => {
      const response = await put('status.update', { schema });
      expect(refusal(response)).toEqual({ status: 422, code: 'invalid_schema' });
      expect(response.body.error.details[0].path).toBe('body.schema');
    });

    it('refuses an example that does not match the schema with 422 invalid_example, naming the field', async () => {
      const response = await put('lead.create', { schema: contactSchema, example: { id: 'ld_1', email: 'not-an-email' } });
      expect(refusal(response)).toEqual({ status: 422, code: 'invalid_example' });
      expect(response.body.error.details).toEqual([expect.objectContaining({ path: 'body.example.email', code: 'format' })]);
      expect(response.body.error.message).toContain('body.example.email');
    });

    it('names a missing required field in the example', async () => {
      const response = await put('lead.delete', { schema: contactSchema, example: { id: 'ld_1' } });
      expect(response.body.error.details).toEqual([expect.objectContaining({ path: 'body.example.email', message: 'is required' })]);
    });

    it.each([
      ['a schema that is not an object', { schema: 'object' }],
      ['a description over 2000 characters', { description: 'x'.repeat(2001) }],
      ['an unknown field', { version: 2 }],
    ])('refuses %s with 400 validation_failed', async (_label, body) => {
      expect(refusal(await put('tag.update', body))).toEqual({ status: 400, code: 'validation_failed' });
    });

    it('stores nothing when a registration is refused', async () => {
      await put('tag.delete', { schema: { type: 'nope' } });
      expect(refusal(await harness.request('GET', '/v1/event-types/tag.delete', { key }))).toEqual({ status: 404, code: 'not_found' });
    });
  });

  describe('listing and reading', () => {
    it('pages through the catalog by name', async () => {
      const { key: pagedKey } = await harness.createWorkspace('paged catalog');
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const path: string = `/v1/event-types?limit=4${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await harness.request('GET', path, { key: pagedKey });
        expect(response.body.data.length).toBeLessThanOrEqual(4);
        names.push(...response.body.data.map((t: { name: string }) => t.name));
        cursor = response.body.next_cursor;
      } while (cursor);
      expect(names).toEqual(DEFAULT_EVENT_TYPES.map((t) => t.name).sort());
    });

    it('answers 404 not_found for a type that is not registered', async () => {
      expect(refusal(await harness.request('GET', '/v1/event-types/never.registered', { key }))).toEqual({ status: 404, code: 'not_found' });
    });

    it('refuses a bad cursor with 400 invalid_cursor', async () => {
      expect(refusal(await harness.request('GET', '/v1/event-types?cursor=!!', { key }))).toEqual({ status: 400, code: 'invalid_cursor' });
    });
  });
});
