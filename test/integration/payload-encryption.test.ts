// Personal data in Temporal: every payload Hookline writes is encrypted; the codec endpoint decrypts it for an operator.
import { Client, Connection } from '@temporalio/client';
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

const TEMPORAL_UI = 'http://127.0.0.1:8233';

describe('payloads in Temporal', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let plain: Client;
  let connection: Connection;

  beforeAll(async () => {
    hookline = await startHookline({ HOOKLINE_CODEC_ORIGINS: TEMPORAL_UI });
    receiver = await startReceiver(() => ({ status: 200 }));
    connection = await Connection.connect({ address: hookline.config.temporal.address });
    // What anyone with access to the Temporal UI or its database sees: no codec, no key.
    plain = new Client({ connection, namespace: hookline.config.temporal.namespace });
  });

  afterAll(async () => {
    await connection?.close();
    await receiver?.close();
    await hookline?.close();
  });

  async function deliveredEvent() {
    const { key } = await hookline.createWorkspace();
    await makeDestination(hookline, key, { url: `${receiver.url}/crm`, event_types: ['*'] });
    const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { email: 'ada.secret@example.com', name: 'Ada Lovelace' } });
    await onlyDeliveryOf(hookline, key, eventId, 'succeeded');
    return eventId;
  }

  it('holds no readable event data: every payload of the event workflow is encrypted, naming its key', async () => {
    const eventId = await deliveredEvent();
    const history = await plain.workflow.getHandle(`event-${eventId}`).fetchHistory();
    const raw = Buffer.from(JSON.stringify(history)).toString('utf8');
    const payloads = history.events?.flatMap((event) => event.workflowExecutionStartedEventAttributes?.input?.payloads ?? []) ?? [];
    expect(payloads.length).toBeGreaterThan(0);
    for (const payload of payloads) {
      expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe('binary/encrypted');
      expect(Buffer.from(payload.metadata!['encryption-key-id']!).toString()).toMatch(/^[0-9a-f]{16}$/);
      expect(Buffer.from(payload.data!).toString('latin1')).not.toContain('ada.secret');
    }
    expect(raw).not.toContain('ada.secret');
    expect(raw).not.toContain(Buffer.from('ada.secret@example.com').toString('base64'));
  });

  it('decodes through /codec/decode for an operator with the admin token, and for no one without it', async () => {
    const eventId = await deliveredEvent();
    const history = await plain.workflow.getHandle(`event-${eventId}`).fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const wire = {
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(input.metadata!).map(([name, value]) => [name, Buffer.from(value).toString('base64')])),
          data: Buffer.from(input.data!).toString('base64'),
        },
      ],
    };
    expect((await hookline.request('POST', '/codec/decode', { body: wire })).status).toBe(401);
    const decoded = await hookline.request('POST', '/codec/decode', { admin: true, body: wire });
    expect(decoded.status).toBe(200);
    const data = JSON.parse(Buffer.from(decoded.body.payloads[0].data, 'base64').toString('utf8'));
    expect(data).toMatchObject({ eventId, data: { email: 'ada.secret@example.com' } });
  });

  it('answers the Temporal UI’s preflight from the configured origin only', async () => {
    const allowed = await fetch(`${hookline.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: TEMPORAL_UI, 'access-control-request-method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(TEMPORAL_UI);
    const other = await fetch(`${hookline.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
