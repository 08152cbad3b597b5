// The ingestion-side payload check: event data against the type's registered JSON Schema, per workspace, cached by version.
import { directLookups } from '../../src/api/http/lookup-cache';
import { EventPayloadValidator } from '../../src/api/events/payload-validator';
import { DomainError, RuleViolationError } from '../../src/domain/errors';
import { startApiHarness, type ApiHarness } from '../support/api-harness';

const schema = {
  type: 'object',
  required: ['id', 'email'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string', format: 'email' },
    address: { type: 'object', properties: { zip: { type: 'string', pattern: '^[0-9]{5}$' } } },
  },
};

async function rejection(promise: Promise<void>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the payload to be refused');
}

describe('event payload validation', () => {
  let harness: ApiHarness;
  let validator: EventPayloadValidator;
  let workspace: { id: string; key: string };

  beforeAll(async () => {
    harness = await startApiHarness();
    validator = new EventPayloadValidator(harness.db, directLookups(harness.db));
    workspace = await harness.createWorkspace('payloads');
    const response = await harness.request('PUT', '/v1/event-types/lead.create', { key: workspace.key, body: { schema } });
    expect(response.status).toBe(201);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('accepts data that matches the schema', async () => {
    await expect(validator.validate(workspace.id, 'lead.create', { id: 'ld_1', email: 'a@example.com' })).resolves.toBeUndefined();
  });

  it('refuses data with a wrong field with 422 payload_schema_mismatch naming the field', async () => {
    const error = await rejection(validator.validate(workspace.id, 'lead.create', { id: 'ld_1', email: 'nope' }));
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error.code).toBe('payload_schema_mismatch');
    expect(error.message).toContain('data.email');
    expect(error.details).toEqual([expect.objectContaining({ path: 'data.email', code: 'format' })]);
  });

  it('names a missing required field and nested fields by their path', async () => {
    const error = await rejection(validator.validate(workspace.id, 'lead.create', { id: 'ld_1', address: { zip: 'abc' } }));
    expect(error.details.map((d) => d.path).sort()).toEqual(['data.address.zip', 'data.email']);
    expect(error.message).toMatch(/and 1 more/);
  });

  it('accepts any data for a type without a schema', async () => {
    await expect(validator.validate(workspace.id, 'contact.created', 'not even an object')).resolves.toBeUndefined();
  });

  it('accepts any data for a type that is not registered', async () => {
    await expect(validator.validate(workspace.id, 'never.registered', { anything: true })).resolves.toBeUndefined();
  });

  it('applies a workspace’s schema only to that workspace', async () => {
    const other = await harness.createWorkspace('payloads elsewhere');
    await expect(validator.validate(other.id, 'lead.create', { email: 'nope' })).resolves.toBeUndefined();
  });

  it('uses the new schema as soon as the type is replaced', async () => {
    const { id, key } = await harness.createWorkspace('payload schema change');
    await harness.request('PUT', '/v1/event-types/order.paid', { key, body: { schema: { type: 'object', required: ['total'] } } });
    await expect(validator.validate(id, 'order.paid', { total: 5 })).resolves.toBeUndefined();
    await expect(validator.validate(id, 'order.paid', {})).rejects.toMatchObject({ code: 'payload_schema_mismatch' });

    await harness.request('PUT', '/v1/event-types/order.paid', { key, body: { schema: { type: 'object', required: ['amount'] } } });
    await expect(validator.validate(id, 'order.paid', { amount: 5 })).resolves.toBeUndefined();
    await expect(validator.validate(id, 'order.paid', { total: 5 })).rejects.toMatchObject({ code: 'payload_schema_mismatch' });

    await harness.request('PUT', '/v1/event-types/order.paid', { key, body: { description: 'no schema any more' } });
    await expect(validator.validate(id, 'order.paid', {})).resolves.toBeUndefined();
  });

  it('keeps schemas with the same $id in different workspaces apart', async () => {
    const first = await harness.createWorkspace('same id one');
    const second = await harness.createWorkspace('same id two');
    const body = (required: string) => ({ schema: { $id: 'https://example.com/order.json', type: 'object', required: [required] } });
    await harness.request('PUT', '/v1/event-types/order.created', { key: first.key, body: body('a') });
    await harness.request('PUT', '/v1/event-types/order.created', { key: second.key, body: body('b') });
    await expect(validator.validate(first.id, 'order.created', { a: 1 })).resolves.toBeUndefined();
    await expect(validator.validate(second.id, 'order.created', { b: 1 })).resolves.toBeUndefined();
    await expect(validator.validate(second.id, 'order.created', { a: 1 })).rejects.toMatchObject({ code: 'payload_schema_mismatch' });
  });
});
