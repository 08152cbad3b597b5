// The egress proxy (HOOKLINE_EGRESS_PROXY) with a real CONNECT proxy on loopback: every delivery and token request tunnels through it, to the address Hookline checked, and what Hookline refuses never reaches it.
import { createHttpClient, type HttpClientOptions } from '../../src/activities/http/dispatcher';
import { sendWebhook } from '../../src/activities/http/send';
import { classifyNetworkError } from '../../src/domain/retry-policy';
import { certificateAuthority, issue } from '../support/certificates';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy';
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { CLIENT_ID, CLIENT_SECRET, startTokenServer } from '../support/token-server';

describe('deliveries through an egress proxy', () => {
  let proxy: ConnectProxy;
  let receiver: Receiver;

  beforeAll(async () => {
    proxy = await startConnectProxy();
    receiver = await startReceiver(() => ({ status: 200, body: 'ok' }));
  });

  afterAll(async () => {
    await receiver?.close();
    await proxy?.close();
  });

  beforeEach(() => {
    proxy.tunnels.length = 0;
    proxy.authorizations.length = 0;
  });

  const port = () => Number(new URL(receiver.url).port);
  const post = (url: string, options: Partial<HttpClientOptions> & { egressProxy: URL }) => {
    const allowPrivate = options.allowPrivate ?? false;
    return sendWebhook(
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2_000 },
      { dispatcher: createHttpClient({ connectionsPerOrigin: 2, allowPrivate, ...options }), allowPrivate, now: Date.now },
    );
  };

  describe('the SSRF guarantees hold through it', () => {
    it('refuses a name that resolves to a private address before asking the proxy for anything', async () => {
      const result = await post(`http://localhost:${port()}/hook`, { egressProxy: new URL(proxy.url) });

      expect(result.kind === 'error' && result.error.name).toBe('ForbiddenAddressError');
      expect(result.kind === 'error' && classifyNetworkError(result.error).kind).toBe('permanent');
      expect(proxy.tunnels).toEqual([]);
      expect(receiver.requests).toHaveLength(0);
    });

    it('refuses a literal private address, and Hookline itself on its own port, without a tunnel', async () => {
      const literal = await post('http://10.20.30.40:8080/hook', { egressProxy: new URL(proxy.url) });
      const self = await post(`http://localhost:${port()}/v1/events`, { egressProxy: new URL(proxy.url), allowPrivate: true, selfPorts: [port()] });

      expect(literal.kind === 'error' && literal.error.name).toBe('ForbiddenAddressError');
      expect(self.kind === 'error' && self.error.message).toMatch(/Hookline's own API \(a delivery loop\)/);
      expect(proxy.tunnels).toEqual([]);
      expect(receiver.requests).toHaveLength(0);
    });

    it('asks the proxy for the address it checked, never for the name the proxy could resolve elsewhere', async () => {
      const result = await post(`http://localhost:${port()}/hook`, { egressProxy: new URL(proxy.url), allowPrivate: true });

      expect(result).toMatchObject({ kind: 'response', status: 200, excerpt: 'ok' });
      expect(proxy.tunnels).toEqual([`127.0.0.1:${port()}`]);
      expect(receiver.requests.at(-1)?.headers.host).toBe(`localhost:${port()}`);
    });
  });

  it('runs TLS end to end inside the tunnel: the receiver is checked by its name and sees the client certificate', async () => {
    const serverCa = await certificateAuthority('Proxy Spec Server CA');
    const clientCa = await certificateAuthority('Proxy Spec Client CA');
    const server = await issue(serverCa, 'localhost', 'server');
    const client = await issue(clientCa, 'hookline-through-proxy', 'client');
    const tlsReceiver = await startReceiver(() => ({ status: 204 }), {
      tls: { key: server.privateKey, cert: server.certificate, ca: clientCa.certificate, requestCert: true, rejectUnauthorized: true },
    });
    try {
      const dispatcher = createHttpClient(
        { connectionsPerOrigin: 2, allowPrivate: true, egressProxy: new URL(proxy.url) },
        { cert: client.certificate, key: client.privateKey, ca: serverCa.certificate },
      );
      const result = await sendWebhook(
        { method: 'POST', url: `${tlsReceiver.url}/secure`, headers: {}, body: '{}', timeoutMs: 2_000 },
        { dispatcher, allowPrivate: true, now: Date.now },
      );

      expect(result).toMatchObject({ kind: 'response', status: 204 });
      expect(tlsReceiver.requests.map((r) => r.clientCertificate)).toEqual(['hookline-through-proxy']);
      expect(proxy.tunnels).toEqual([`127.0.0.1:${new URL(tlsReceiver.url).port}`]);
    } finally {
      await tlsReceiver.close();
    }
  });

  it('sends the proxy URL’s credentials as Proxy-Authorization, and names a refused tunnel in the attempt’s reason', async () => {
    const guarded = await startConnectProxy({ requireAuthorization: `Basic ${Buffer.from('egress:s3cret pass').toString('base64')}` });
    try {
      const withCredentials = new URL(guarded.url);
      withCredentials.username = 'egress';
      withCredentials.password = encodeURIComponent('s3cret pass');
      const accepted = await post(`http://localhost:${port()}/hook`, { egressProxy: withCredentials, allowPrivate: true });
      const refused = await post(`http://localhost:${port()}/hook`, { egressProxy: new URL(guarded.url), allowPrivate: true });

      expect(accepted).toMatchObject({ kind: 'response', status: 200 });
      expect(refused.kind === 'error' && classifyNetworkError(refused.error)).toEqual({
        kind: 'retryable',
        reason: 'the egress proxy refused the tunnel (EGRESS_PROXY_REFUSED)',
      });
      expect(guarded.authorizations).toEqual([expect.stringMatching(/^Basic /), undefined]);
    } finally {
      await guarded.close();
    }
  });

  describe('configured for a whole Hookline', () => {
    let hookline: HooklineHarness;

    beforeAll(async () => {
      hookline = await startHookline({ HOOKLINE_EGRESS_PROXY: proxy.url });
    });

    afterAll(async () => {
      await hookline?.close();
    });

    it('sends deliveries and OAuth token requests through the proxy', async () => {
      const tokens = await startTokenServer();
      try {
        const { key } = await hookline.createWorkspace();
        await makeDestination(hookline, key, {
          url: `http://localhost:${port()}/through-proxy`,
          event_types: ['*'],
          oauth: { token_url: tokens.url.replace('127.0.0.1', 'localhost'), client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
        });
        const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { email: 'a@example.com' } });

        expect((await onlyDeliveryOf(hookline, key, eventId, 'succeeded')).attempt_count).toBe(1);
        expect(proxy.tunnels).toEqual([`127.0.0.1:${new URL(tokens.url).port}`, `127.0.0.1:${port()}`]);
        expect(receiver.requests.at(-1)).toMatchObject({ path: '/through-proxy', headers: expect.objectContaining({ authorization: 'Bearer tok-1' }) });
      } finally {
        await tokens.close();
      }
    });

    it('refuses, with 422 when it is saved, a URL whose name resolves to a private address where those are not allowed', async () => {
      const strict = await startHookline({ HOOKLINE_EGRESS_PROXY: proxy.url, HOOKLINE_ALLOW_PRIVATE_DESTINATIONS: 'false' });
      try {
        const { key } = await strict.createWorkspace();
        const answer = await strict.request('POST', '/v1/destinations', { key, body: { name: 'x', url: `http://localhost:${port()}/private` } });
        expect([answer.status, answer.body.error.code]).toEqual([422, 'private_address']);
        expect(proxy.tunnels).toEqual([]);
      } finally {
        await strict.close();
      }
    });
  });
});
