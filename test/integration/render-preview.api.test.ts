// POST /v1/destinations/render-preview: the request a destination's templates make for an example, as deliveries render it.
import { startApiHarness, type ApiHarness } from '../support/api-harness';

describe('render preview', () => {
  let api: ApiHarness;
  let key: string;

  beforeAll(async () => {
    api = await startApiHarness();
    key = (await api.createWorkspace('Preview')).key;
    await api.request('PUT', '/v1/event-types/deal.won', { key, body: { description: 'A deal closed', example: { deal: 'd_1', amount: 4200, owner: 'ada' } } });
  });

  afterAll(async () => {
    await api?.close();
  });

  const preview = (body: Record<string, unknown>) => api.request('POST', '/v1/destinations/render-preview', { key, body });

  it("renders URL, query, headers and body from the event type's example", async () => {
    const response = await preview({
      event_type: 'deal.won',
      url: 'https://crm.example.com/{{event.type}}/{{data.deal}}',
      query_params: { owner: '{{data.owner}}' },
      headers: { 'X-Amount': '{{data.amount}}' },
      body_template: { amount: '{{data.amount}}', label: 'Deal {{data.deal}}' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      ok: true,
      method: 'POST',
      url: 'https://crm.example.com/deal.won/d_1?owner=ada',
      headers: { 'x-amount': '4200', 'content-type': 'application/json', 'user-agent': expect.stringMatching(/^Hookline\//) },
      data: { deal: 'd_1', amount: 4200, owner: 'ada' },
      error: null,
    });
    expect(JSON.parse(response.body.body)).toEqual({ amount: 4200, label: 'Deal d_1' });
  });

  it('without a template, shows the default envelope of webhook.test', async () => {
    const response = await preview({ url: 'https://crm.example.com/hooks' });
    expect(JSON.parse(response.body.body)).toMatchObject({ type: 'webhook.test', data: { message: 'This is a test webhook from Hookline' } });
  });

  it('says why a template cannot render instead of sending it', async () => {
    const response = await preview({ event_type: 'deal.won', url: 'https://crm.example.com', headers: { 'X-Evil': 'a{{data.missing}}' }, body_template: null });
    expect(response.body.ok).toBe(true);
    const broken = await preview({ url: 'not a url {{data.x}}' });
    expect(broken.body).toMatchObject({ ok: false, url: null, error: { code: 'template_error' } });
  });
});
