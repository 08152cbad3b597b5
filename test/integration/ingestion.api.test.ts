import { eventWhen } from '../support/delivery-helpers';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';

describe('event ingestion', () => {
  let hookline: HooklineHarness;
  let workspace: { id: string; key: string };

  beforeAll(async () => {
    hookline = await startHookline({ HOOKLINE_MAX_PAYLOAD_BYTES: '2048' });
    workspace = await hookline.createWorkspace();
  });

  afterAll(async () => {
    await hookline?.close();
  });

  const ingest = (body: unknown, headers: Record<string, string> = {}) => hookline.request('POST', '/v1/events', { key: workspace.key, body, headers });

  it('accepts and stores an event of a type nobody registered or subscribed to', async () => {
    const accepted = await ingest({ type: 'lead.task.update', data: { task: 't_1' }, subject: 'lead_9', occurred_at: '2026-01-02T03:04:05.000Z' });
    expect(accepted.status).toBe(202);
    const event = await eventWhen(hookline, workspace.key, accepted.body.event_id, () => true, 'the event to be stored');
    expect(event).toMatchObject({
      id: accepted.body.event_id,
      type: 'lead.task.update',
      data: { task: 't_1' },
      subject: 'lead_9',
      occurred_at: '2026-01-02T03:04:05.000Z',
      deliveries: [],
    });
  });

  it('answers a body over the size limit with 413 payload_too_large', async () => {
    const response = await ingest({ type: 'contact.created', data: { blob: 'x'.repeat(4_096) } });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });

  it("answers malformed JSON with 400 malformed_json and the parser's position", async () => {
    const response = await hookline.request('POST', '/v1/events', { key: workspace.key, rawBody: '{"type": "contact.created", "data": }' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('malformed_json');
    expect(response.body.error.message).toMatch(/position \d+/);
  });

  it('refuses a type that is not a dotted lowercase name, naming the field', async () => {
    const response = await ingest({ type: 'Contact Created', data: {} });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details[0].path).toBe('body.type');
  });

  it('refuses an event without data', async () => {
    const response = await ingest({ type: 'contact.created' });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toContain('body.data');
  });

  it('refuses an Idempotency-Key that is not 1–255 visible ASCII characters', async () => {
    const response = await ingest({ type: 'contact.created', data: {} }, { 'idempotency-key': 'x'.repeat(256) });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_idempotency_key');
  });

  it('answers a missing or wrong key with 401 and never a stack trace', async () => {
    const missing = await hookline.request('POST', '/v1/events', { body: { type: 'contact.created', data: {} } });
    const wrong = await hookline.request('POST', '/v1/events', { key: 'hk_not-a-key', body: { type: 'contact.created', data: {} } });
    for (const response of [missing, wrong]) {
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
      expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });
});
