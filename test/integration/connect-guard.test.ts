import { createHttpClient } from '../../src/activities/http/dispatcher';
import { sendWebhook } from '../../src/activities/http/send';
import { classifyNetworkError } from '../../src/domain/retry-policy';
import { startReceiver, type Receiver } from '../support/receiver';

describe('the delivery HTTP client', () => {
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver(() => ({ status: 200, body: 'ok' }));
  });

  afterAll(async () => {
    await receiver?.close();
  });

  const post = (url: string, allowPrivate: boolean) =>
    sendWebhook(
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2_000 },
      { dispatcher: createHttpClient({ connectionsPerOrigin: 2, allowPrivate }), allowPrivate, now: Date.now },
    );

  it('refuses to connect when a host name resolves to a loopback address (DNS rebinding), as a permanent failure', async () => {
    const port = new URL(receiver.url).port;
    const result = await post(`http://localhost:${port}/hook`, false);
    expect(result.kind).toBe('error');
    if (result.kind !== 'error') return;
    expect(result.error.name).toBe('ForbiddenAddressError');
    expect(classifyNetworkError(result.error).kind).toBe('permanent');
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses a literal private address in any spelling before connecting', async () => {
    const port = new URL(receiver.url).port;
    const result = await post(`http://2130706433:${port}/hook`, false);
    expect(result.kind === 'error' && result.error.name).toBe('ForbiddenAddressError');
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses a name that resolves to Hookline itself, on its own port, even where private destinations are allowed', async () => {
    // The receiver stands in for Hookline's API: its port is the one the worker is told it listens on.
    const port = Number(new URL(receiver.url).port);
    const dispatcher = createHttpClient({ connectionsPerOrigin: 2, allowPrivate: true, selfPorts: [port] });
    const result = await sendWebhook(
      { method: 'POST', url: `http://localhost:${port}/v1/events`, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2_000 },
      { dispatcher, allowPrivate: true, now: Date.now },
    );
    expect(result.kind === 'error' && result.error.message).toMatch(/Hookline's own API \(a delivery loop\)/);
    expect(result.kind === 'error' && classifyNetworkError(result.error).kind).toBe('permanent');
    expect(receiver.requests).toHaveLength(0);
  });

  it('connects to the same receiver when private destinations are allowed', async () => {
    const port = new URL(receiver.url).port;
    const result = await post(`http://localhost:${port}/hook`, true);
    expect(result).toMatchObject({ kind: 'response', status: 200, excerpt: 'ok' });
    expect(receiver.requests).toHaveLength(1);
  });
});
