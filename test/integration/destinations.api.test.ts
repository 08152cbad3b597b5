// Destinations through real HTTP and PostgreSQL: fields, defaults, the rules on their values, delete and re-enable.
import { MASKED_HEADER_VALUE } from '../../src/domain/header-values';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { createDestination, destinationBody, refusal } from './destination-fixtures';

/** What every read shows of a destination's headers: the names, each value masked. */
const maskedHeaders = (headers: Record<string, string>) => Object.fromEntries(Object.keys(headers).map((name) => [name, MASKED_HEADER_VALUE]));

describe('destinations API', () => {
  let harness: ApiHarness;
  let key: string;

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ key } = await harness.createWorkspace('destinations'));
  });

  afterAll(async () => {
    await harness.close();
  });

  const create = (body: Record<string, unknown>) => harness.request('POST', '/v1/destinations', { key, body: destinationBody(body) });

  describe('creating and reading', () => {
    it('fills in the documented defaults', async () => {
      const { body } = await createDestination(harness, key);
      expect(body).toMatchObject({
        name: 'CRM sync',
        url: 'https://hooks.example.com/incoming',
        method: 'POST',
        headers: {},
        query_params: {},
        body_template: null,
        timeout_seconds: 10,
        enabled: true,
        status: 'active',
        trigger: 'every_update',
        filter: null,
        max_attempts: harness.config.delivery.retryScheduleMs.length + 1,
        failure_threshold: 10,
        signature_scheme: 'standard_webhooks',
        signature_header: null,
        event_types: [],
        auto_disabled_at: null,
        auto_disabled_reason: null,
      });
      expect(body.id).toMatch(/^dst_/);
      expect(new Date(body.created_at as string).getTime()).not.toBeNaN();
      expect(new Date(body.updated_at as string).getTime()).not.toBeNaN();
    });

    it('round-trips every writable field through create and GET', async () => {
      const fields = {
        name: 'Segment alerts',
        url: 'https://hooks.example.com/{{event.type}}/{{data.contact_id}}?src=hookline',
        method: 'PUT',
        headers: { Authorization: 'Bearer abc', 'X-Workspace': '{{workspace.id}}', 'Content-Type': 'application/vnd.crm+json' },
        query_params: { contact: '{{data.contact_id}}', static: 'yes' },
        body_template: { contact: '{{data.contact_id}}', total: '{{data.total}}', label: 'Hello {{data.first_name}}', nested: [1, true, null] },
        timeout_seconds: 30,
        enabled: false,
        trigger: 'first_match',
        filter: { 'data.segment_id': { $in: ['seg_1'] }, 'data.pixel_id': 'px_9' },
        max_attempts: 1,
        failure_threshold: 1000,
        signature_scheme: 'hmac_sha256_hex',
        signature_header: 'X-Signature',
        event_types: ['contact.created', 'contact.*'],
      };
      const { id, body } = await createDestination(harness, key, fields);
      const read = await harness.request('GET', `/v1/destinations/${id}`, { key });
      expect(read.status).toBe(200);
      // Header values are credentials: names come back, values never do (the receiver still gets them, see signatures).
      const expected = { ...fields, headers: maskedHeaders(fields.headers), event_types: ['contact.*', 'contact.created'], status: 'inactive' };
      expect(body).toMatchObject(expected);
      expect(read.body).toMatchObject(expected);
      expect(read.body.created_at).toBe(body.created_at);
    });

    it('defaults the hex scheme signature header to X-Webhook-Signature', async () => {
      const { body } = await createDestination(harness, key, { signature_scheme: 'hmac_sha256_hex' });
      expect(body.signature_header).toBe('X-Webhook-Signature');
    });

    it('accepts every method the issue lists', async () => {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'GET']) {
        const { body } = await createDestination(harness, key, { method });
        expect(body.method).toBe(method);
      }
    });

    it('answers 404 not_found for an id that does not exist', async () => {
      const response = await harness.request('GET', '/v1/destinations/dst_01ARZ3NDEKTSV4RRFFQ69G5FAV', { key });
      expect(refusal(response)).toEqual({ status: 404, code: 'not_found' });
    });
  });

  describe('refuses malformed input with 400 validation_failed', () => {
    it.each([
      ['a missing name', { name: undefined }],
      ['an empty name', { name: '  ' }],
      ['a missing url', { url: undefined }],
      ['an unknown field', { colour: 'blue' }],
      ['a read-only status', { status: 'active' }],
      ['an unsupported method', { method: 'HEAD' }],
      ['a timeout of 0 seconds', { timeout_seconds: 0 }],
      ['a timeout over 30 seconds', { timeout_seconds: 31 }],
      ['a fractional timeout', { timeout_seconds: 2.5 }],
      ['an unknown trigger', { trigger: 'sometimes' }],
      ['zero max attempts', { max_attempts: 0 }],
      ['more than 20 attempts', { max_attempts: 21 }],
      ['a failure threshold of 0', { failure_threshold: 0 }],
      ['a failure threshold over 1000', { failure_threshold: 1001 }],
      ['an unknown signature scheme', { signature_scheme: 'md5' }],
      ['a filter that is not an object', { filter: ['data.x'] }],
      ['a header value that is not a string', { headers: { 'X-Count': 3 } }],
      ['more than 50 headers', { headers: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`X-H${i}`, 'v'])) }],
      ['more than 100 event types', { event_types: Array.from({ length: 101 }, (_, i) => `contact.type_${i}`) }],
      ['a secret shorter than 16 characters', { secret: 'short-secret' }],
      ['a secret longer than 256 characters', { secret: 'x'.repeat(257) }],
    ])('%s', async (_label, overrides) => {
      const response = await create(overrides);
      expect(refusal(response)).toEqual({ status: 400, code: 'validation_failed' });
      expect(response.body.error.details.length).toBeGreaterThan(0);
      expect(response.body.error.details[0].path).toMatch(/^body/);
    });

    it('names the offending field in the details', async () => {
      const response = await create({ timeout_seconds: 99 });
      expect(response.body.error.details).toEqual([expect.objectContaining({ path: 'body.timeout_seconds' })]);
    });

    it('answers a body that is not JSON with 400 malformed_json', async () => {
      const response = await harness.request('POST', '/v1/destinations', {
        key,
        rawBody: '{"name": "x",',
        headers: { 'content-type': 'application/json' },
      });
      expect(refusal(response)).toEqual({ status: 400, code: 'malformed_json' });
    });
  });

  describe('refuses settings that break a rule with 422 and the rule code', () => {
    it.each([
      ['a header name with a space', { headers: { 'X Bad': 'v' } }, 'invalid_header'],
      ['a header name with a colon', { headers: { 'X-Bad:': 'v' } }, 'invalid_header'],
      ['a header value with CR LF', { headers: { 'X-Inject': 'ok\r\nX-Evil: 1' } }, 'invalid_header'],
      ['a header value with a bare LF', { headers: { 'X-Inject': 'ok\nmore' } }, 'invalid_header'],
      ['the same header twice in different case', { headers: { 'X-Trace': 'a', 'x-trace': 'b' } }, 'invalid_header'],
      ['a Host header', { headers: { Host: 'internal.example' } }, 'reserved_header'],
      ['a Content-Length header', { headers: { 'content-length': '10' } }, 'reserved_header'],
      ['a Transfer-Encoding header', { headers: { 'Transfer-Encoding': 'chunked' } }, 'reserved_header'],
      ['a Connection header', { headers: { Connection: 'close' } }, 'reserved_header'],
      ['a webhook-signature header', { headers: { 'Webhook-Signature': 'v1,forged' } }, 'reserved_header'],
      ['a webhook-id header', { headers: { 'webhook-id': 'msg_1' } }, 'reserved_header'],
      ['a webhook-timestamp header', { headers: { 'webhook-timestamp': '1' } }, 'reserved_header'],
      [
        "the hex scheme's own signature header",
        { signature_scheme: 'hmac_sha256_hex', headers: { 'x-webhook-signature': 'sha256=forged' } },
        'reserved_header',
      ],
      ['an unknown variable in a header value', { headers: { 'X-Id': '{{secret.key}}' } }, 'invalid_template'],
      ['an unclosed placeholder in the URL path', { url: 'https://hooks.example.com/{{data.id' }, 'invalid_template'],
      ['an unknown variable in the URL', { url: 'https://hooks.example.com/{{env.HOME}}' }, 'invalid_template'],
      ['an unknown variable in a query parameter', { query_params: { q: '{{process.env}}' } }, 'invalid_template'],
      ['an unknown variable in the body template', { body_template: { a: { b: '{{event.secret}}' } } }, 'invalid_template'],
      ['a malformed placeholder in the body template', { body_template: ['{{ data..id }}'] }, 'invalid_template'],
      ['a filter using $where', { filter: { $where: 'this.data.x === 1' } }, 'invalid_filter'],
      ['a filter with an unknown operator', { filter: { 'data.segment_id': { $near: [0, 0] } } }, 'invalid_filter'],
      ['a filter with $in that is not a list', { filter: { 'data.segment_id': { $in: 'seg_1' } } }, 'invalid_filter'],
      ['an event type in capitals', { event_types: ['Contact.Created'] }, 'invalid_event_type'],
      ['an event type without a dot', { event_types: ['contact'] }, 'invalid_event_type'],
      ['a wildcard in the middle', { event_types: ['contact.*.created'] }, 'invalid_event_type'],
      ['a signature header with the standard scheme', { signature_header: 'X-Signature' }, 'invalid_signature_header'],
      ['a signature header that is not a header name', { signature_scheme: 'hmac_sha256_hex', signature_header: 'X Sig' }, 'invalid_signature_header'],
      ['a signature header that is a reserved header', { signature_scheme: 'hmac_sha256_hex', signature_header: 'Host' }, 'invalid_signature_header'],
    ])('%s', async (_label, overrides, code) => {
      const response = await create(overrides);
      expect(refusal(response)).toEqual({ status: 422, code });
      expect(response.body.error.message).toEqual(expect.any(String));
      expect(response.body.error.details[0].path).toMatch(/^body\./);
    });

    it('keeps user-agent and content-type settable', async () => {
      const { body } = await createDestination(harness, key, { headers: { 'User-Agent': 'CRM-Sync/1', 'Content-Type': 'text/plain' } });
      expect(body.headers).toEqual(maskedHeaders({ 'User-Agent': 'CRM-Sync/1', 'Content-Type': 'text/plain' }));
    });

    it('collapses duplicate event types into one subscription', async () => {
      const { body } = await createDestination(harness, key, { event_types: ['contact.created', 'contact.created', '*'] });
      expect(body.event_types).toEqual(['*', 'contact.created']);
    });
  });

  describe('updating', () => {
    it('changes only the fields sent and keeps the rest', async () => {
      const { id, body: created } = await createDestination(harness, key, { headers: { 'X-A': '1' }, event_types: ['contact.created'] });
      const { secret: _secret, ...before } = created;
      const response = await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: { name: 'Renamed', timeout_seconds: 5 } });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ ...before, name: 'Renamed', timeout_seconds: 5, updated_at: expect.any(String) });
      expect(new Date(response.body.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(before.updated_at as string).getTime());
      expect(response.body).not.toHaveProperty('secret');
    });

    it('round-trips every writable field through PATCH', async () => {
      const { id } = await createDestination(harness, key);
      const fields = {
        name: 'Everything changed',
        url: 'https://other.example.com/in',
        method: 'PATCH',
        headers: { 'X-Env': 'prod' },
        query_params: { v: '2' },
        body_template: { id: '{{event.id}}' },
        timeout_seconds: 1,
        enabled: false,
        trigger: 'first_match',
        filter: { 'data.score': { $gte: 50 } },
        max_attempts: 20,
        failure_threshold: 1,
        signature_scheme: 'hmac_sha256_hex',
        signature_header: 'X-Hub-Signature-256',
        event_types: ['lead.task.update'],
      };
      const patched = await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: fields });
      expect(patched.status).toBe(200);
      const read = await harness.request('GET', `/v1/destinations/${id}`, { key });
      expect(read.body).toMatchObject({ ...fields, headers: maskedHeaders(fields.headers), status: 'inactive' });
    });

    it('clears the body template and filter with null', async () => {
      const { id } = await createDestination(harness, key, { body_template: { a: '{{data.a}}' }, filter: { type: 'contact.created' } });
      const response = await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: { body_template: null, filter: null } });
      expect(response.body).toMatchObject({ body_template: null, filter: null });
    });

    it('drops the hex header when switching back to Standard Webhooks', async () => {
      const { id } = await createDestination(harness, key, { signature_scheme: 'hmac_sha256_hex', signature_header: 'X-Sig' });
      const response = await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: { signature_scheme: 'standard_webhooks' } });
      expect(response.body).toMatchObject({ signature_scheme: 'standard_webhooks', signature_header: null });
    });

    it('applies the same rules as create', async () => {
      const { id } = await createDestination(harness, key);
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ headers: { Host: 'x' } }, 422, 'reserved_header'],
        [{ filter: { $where: '1' } }, 422, 'invalid_filter'],
        [{ event_types: ['NOPE'] }, 422, 'invalid_event_type'],
        [{ url: 'ftp://files.example.com/drop' }, 422, 'scheme_not_allowed'],
        [{ timeout_seconds: 31 }, 400, 'validation_failed'],
        [{ secret: 'a-new-secret-of-enough-length' }, 400, 'validation_failed'],
      ];
      for (const [body, status, code] of cases) {
        const response = await harness.request('PATCH', `/v1/destinations/${id}`, { key, body });
        expect({ body, ...refusal(response) }).toEqual({ body, status, code });
      }
      const read = await harness.request('GET', `/v1/destinations/${id}`, { key });
      expect(read.body).toMatchObject({ headers: {}, filter: null, event_types: [], timeout_seconds: 10 });
    });

    it('reports status inactive after enabled=false and active after enabled=true', async () => {
      const { id } = await createDestination(harness, key);
      const off = await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: { enabled: false } });
      expect(off.body).toMatchObject({ enabled: false, status: 'inactive' });
      const on = await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: { enabled: true } });
      expect(on.body).toMatchObject({ enabled: true, status: 'active' });
    });

    it('re-enables an auto-disabled destination with {enabled: true} and resets its failure streak', async () => {
      const { id } = await createDestination(harness, key);
      const disabledAt = new Date('2026-01-02T03:04:05.000Z');
      await harness.db
        .updateTable('destinations')
        .set({ auto_disabled_at: disabledAt, auto_disabled_reason: '10 consecutive failures: HTTP 500', consecutive_failures: 10 })
        .where('id', '=', id)
        .execute();

      const paused = await harness.request('GET', `/v1/destinations/${id}`, { key });
      expect(paused.body).toMatchObject({
        enabled: true,
        status: 'auto_disabled',
        auto_disabled_at: disabledAt.toISOString(),
        auto_disabled_reason: '10 consecutive failures: HTTP 500',
      });

      const renamed = await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: { name: 'still paused' } });
      expect(renamed.body.status).toBe('auto_disabled');

      const response = await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: { enabled: true } });
      expect(response.body).toMatchObject({ status: 'active', auto_disabled_at: null, auto_disabled_reason: null });
      const row = await harness.db.selectFrom('destinations').select(['consecutive_failures']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.consecutive_failures).toBe(0);
    });
  });

  it('keeps the failure streak of an active destination when a PATCH merely repeats enabled=true', async () => {
    const { id } = await createDestination(harness, key);
    await harness.db.updateTable('destinations').set({ consecutive_failures: 4 }).where('id', '=', id).execute();
    const response = await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: { enabled: true, name: 'edited' } });
    expect(response.body.status).toBe('active');
    const row = await harness.db.selectFrom('destinations').select(['consecutive_failures']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.consecutive_failures).toBe(4);
  });

  describe('deleting', () => {
    it('hides the destination from reads and lists but keeps its row for history', async () => {
      const { id } = await createDestination(harness, key, { event_types: ['contact.created'] });
      const response = await harness.request('DELETE', `/v1/destinations/${id}`, { key });
      expect(response.status).toBe(204);

      expect(refusal(await harness.request('GET', `/v1/destinations/${id}`, { key }))).toEqual({ status: 404, code: 'not_found' });
      expect(refusal(await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: { name: 'x' } }))).toEqual({ status: 404, code: 'not_found' });
      expect(refusal(await harness.request('DELETE', `/v1/destinations/${id}`, { key }))).toEqual({ status: 404, code: 'not_found' });
      const all = await listAll();
      expect(all.map((d) => d.id)).not.toContain(id);

      const row = await harness.db.selectFrom('destinations').select(['deleted_at']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.deleted_at).toBeInstanceOf(Date);
    });

    it('removes its subscriptions so no new event can match it', async () => {
      const { id } = await createDestination(harness, key, { event_types: ['*'] });
      await harness.request('DELETE', `/v1/destinations/${id}`, { key });
      const subscriptions = await harness.db.selectFrom('subscriptions').selectAll().where('destination_id', '=', id).execute();
      expect(subscriptions).toEqual([]);
    });
  });

  async function listAll(query = ''): Promise<Array<Record<string, any>>> {
    const items: Array<Record<string, any>> = [];
    let cursor: string | null = null;
    do {
      const separator = query ? '&' : '';
      const path: string = `/v1/destinations?${query}${separator}limit=100${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await harness.request('GET', path, { key });
      expect(response.status).toBe(200);
      items.push(...response.body.data);
      cursor = response.body.next_cursor;
    } while (cursor);
    return items;
  }

  describe('listing', () => {
    it('filters by status', async () => {
      const active = await createDestination(harness, key);
      const inactive = await createDestination(harness, key, { enabled: false });
      const paused = await createDestination(harness, key);
      await harness.db.updateTable('destinations').set({ auto_disabled_at: new Date(), auto_disabled_reason: 'test' }).where('id', '=', paused.id).execute();

      const byStatus = async (status: string) => (await listAll(`status=${status}`)).map((d) => d.id);
      expect(await byStatus('active')).toContain(active.id);
      expect(await byStatus('active')).not.toContain(inactive.id);
      expect(await byStatus('active')).not.toContain(paused.id);
      expect(await byStatus('inactive')).toEqual(expect.arrayContaining([inactive.id]));
      expect(await byStatus('inactive')).not.toContain(paused.id);
      expect(await byStatus('auto_disabled')).toEqual([paused.id]);
      for (const item of await listAll('status=inactive')) expect(item.status).toBe('inactive');
    });

    it('refuses an unknown status filter with 400 validation_failed', async () => {
      const response = await harness.request('GET', '/v1/destinations?status=broken', { key });
      expect(refusal(response)).toEqual({ status: 400, code: 'validation_failed' });
    });

    it('includes each destination’s event types in the list', async () => {
      const { id } = await createDestination(harness, key, { event_types: ['contact.deleted', 'contact.created'] });
      const item = (await listAll()).find((d) => d.id === id);
      expect(item?.event_types).toEqual(['contact.created', 'contact.deleted']);
      expect(item).not.toHaveProperty('secret');
    });
  });
});

describe('custom header values are credentials', () => {
  let harness: ApiHarness;
  let key: string;

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ key } = await harness.createWorkspace('header credentials'));
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('stores them sealed, never returns them, and keeps a value a PATCH sends back masked', async () => {
    const created = await harness.request('POST', '/v1/destinations', {
      key,
      body: { name: 'CRM', url: 'https://crm.example/hooks', headers: { Authorization: 'Bearer crm-token-123' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.headers).toEqual({ Authorization: MASKED_HEADER_VALUE });
    const row = await harness.db.selectFrom('destinations').select('headers').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.headers)).not.toContain('crm-token-123');

    // A client echoing what it read (the console's edit form does) changes nothing; a new value replaces it.
    const echoed = await harness.request('PATCH', `/v1/destinations/${created.body.id}`, { key, body: { name: 'CRM sync', headers: created.body.headers } });
    expect(echoed.status).toBe(200);
    const after = await harness.db.selectFrom('destinations').select('headers').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(after.headers.Authorization).toBe(row.headers.Authorization);
    const list = await harness.request('GET', '/v1/destinations', { key });
    expect(JSON.stringify(list.body)).not.toContain('crm-token-123');
  });
});
