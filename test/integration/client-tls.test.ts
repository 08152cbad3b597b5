// Mutual TLS against a real https receiver on loopback that asks for a client certificate: certificates made in the test, the key never shown again.
import { Client, Connection } from '@temporalio/client';
import { certificateAuthority, issue, type Issued } from '../support/certificates';
import { deliveryWhen, eventWhen, makeDestination, postEvent } from '../support/delivery-helpers';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { captureLogs } from '../support/log-capture';
import { scrape } from '../support/prometheus';

const MASK = '••••••';

describe('destinations that present a client certificate (mutual TLS)', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let connection: Connection;
  let serverCa: Issued;
  let client: Issued;
  let stranger: Issued;
  let otherClient: Issued;
  const logs = captureLogs('trace');

  beforeAll(async () => {
    // The receiver's certificate comes from a private CA; it takes only client certificates of its own client CA.
    const serverAuthority = await certificateAuthority('Receiver Server CA');
    const clientAuthority = await certificateAuthority('Receiver Client CA');
    const server = await issue(serverAuthority, 'localhost', 'server');
    serverCa = serverAuthority;
    client = await issue(clientAuthority, 'hookline-client', 'client');
    otherClient = await issue(clientAuthority, 'hookline-client-2', 'client', new Date(Date.now() + 3 * 86_400_000));
    stranger = await issue(await certificateAuthority('Somebody Else CA'), 'stranger', 'client');
    hookline = await startHookline({}, { logger: logs.logger });
    receiver = await startReceiver(() => ({ status: 200 }), {
      tls: { key: server.privateKey, cert: server.certificate, ca: clientAuthority.certificate, requestCert: true, rejectUnauthorized: true },
    });
    connection = await Connection.connect({ address: hookline.config.temporal.address });
  });

  afterAll(async () => {
    await connection?.close();
    await receiver?.close();
    await hookline?.close();
  });

  const tlsOf = (issued: Issued, ca: string | null = serverCa.certificate) => ({ certificate: issued.certificate, private_key: issued.privateKey, ca });

  async function destination(clientTls: unknown) {
    const { key } = await hookline.createWorkspace();
    const path = `/${Math.random().toString(36).slice(2)}`;
    const created = await makeDestination(hookline, key, { url: `${receiver.url}${path}`, event_types: ['*'], client_tls: clientTls });
    const send = async (status: string) => {
      const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { email: 'zoë@example.com' } });
      const event = await eventWhen(hookline, key, eventId, (e) => e.deliveries.length === 1, 'its delivery');
      const delivery = await deliveryWhen(hookline, key, event.deliveries[0].id, (d) => d.status === status || d.attempts.length > 0, `a ${status} attempt`);
      return { eventId, delivery, requests: receiver.requests.filter((r) => r.path === path) };
    };
    return { key, created, path, send };
  }

  it('presents the certificate to a receiver that requires one, trusting only the CA given for it', async () => {
    const { created, send } = await destination(tlsOf(client));

    const { delivery, requests } = await send('succeeded');

    expect(delivery.status).toBe('succeeded');
    expect(requests.map((r) => r.clientCertificate)).toEqual(['hookline-client']);
    expect(created.body.client_tls).toMatchObject({
      certificate: client.certificate,
      private_key: MASK,
      ca: serverCa.certificate,
      subject: 'CN=hookline-client',
      issuer: 'CN=Receiver Client CA',
      expires_at: new Date(Math.floor(client.notAfter.getTime() / 1000) * 1000).toISOString(),
    });
    expect(created.body.client_tls.fingerprint_sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('fails the attempt, by name, when the receiver refuses the certificate or Hookline cannot trust the receiver', async () => {
    const refused = await destination(tlsOf(stranger));
    const untrusted = await destination(tlsOf(client, null));

    const [byReceiver, byHookline] = await Promise.all([refused.send('failed'), untrusted.send('failed')]);

    expect(byReceiver.requests).toHaveLength(0);
    // TLS 1.3 sends the receiver's refusal after the handshake: the client sees the connection end before an answer.
    expect(byReceiver.delivery.attempts[0].error.message).toMatch(/certificate|alert|closed|reset/i);
    expect(byHookline.requests).toHaveLength(0);
    expect(byHookline.delivery.attempts[0].error.message).toBe(
      "the receiver's certificate is not signed by a trusted CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE): unable to verify the first certificate",
    );
  });

  it('keeps the stored key when a PATCH sends the mask back, takes a new pair, and drops it with null', async () => {
    const { key, created, send } = await destination(tlsOf(client));
    const patch = (body: unknown) => hookline.request('PATCH', `/v1/destinations/${created.id}`, { key, body });

    const kept = await patch({ name: 'renamed', client_tls: { ...tlsOf(client), private_key: MASK } });
    expect([kept.status, kept.body.client_tls.private_key]).toEqual([200, MASK]);
    expect((await send('succeeded')).requests.map((r) => r.clientCertificate)).toEqual(['hookline-client']);

    // Another certificate with the stored key is a mismatch: checked against the sealed key, refused before it is kept.
    const mismatch = await patch({ client_tls: { ...tlsOf(otherClient), private_key: MASK } });
    expect([mismatch.status, mismatch.body.error.code]).toEqual([422, 'invalid_client_tls']);
    const renewed = await patch({ client_tls: tlsOf(otherClient) });
    expect(renewed.body.client_tls.subject).toBe('CN=hookline-client-2');
    expect((await send('succeeded')).requests.map((r) => r.clientCertificate)).toEqual(['hookline-client', 'hookline-client-2']);
    expect((await patch({ client_tls: null })).body.client_tls).toBeNull();
  });

  it('refuses a certificate that cannot work when it is set, each with invalid_client_tls and a reason', async () => {
    const { key } = await hookline.createWorkspace();
    const expired = await issue(await certificateAuthority('Old CA'), 'old', 'client', new Date(Date.now() - 60_000));
    const create = (clientTls: unknown, url = `${receiver.url}/x`) =>
      hookline.request('POST', '/v1/destinations', { key, body: { name: 'x', url, client_tls: clientTls } });

    const answers = await Promise.all([
      create(tlsOf(expired)),
      create({ ...tlsOf(client), private_key: stranger.privateKey }),
      create({ ...tlsOf(client), certificate: 'not a certificate' }),
      create({ ...tlsOf(client), private_key: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n' }),
      create({ ...tlsOf(client), private_key: MASK }),
      create(tlsOf(client), 'http://127.0.0.1:9/plain-http'),
    ]);

    expect(answers.map((a) => [a.status, a.body.error.code])).toEqual(Array(6).fill([422, 'invalid_client_tls']));
    expect(answers.map((a) => a.body.error.message)).toEqual([
      expect.stringMatching(/expired/),
      expect.stringMatching(/does not belong/),
      expect.stringMatching(/no PEM certificate/),
      expect.stringMatching(/not a PEM private key/),
      expect.stringMatching(/none is stored/),
      expect.stringMatching(/https/),
    ]);
  });

  it('shows the expiry on /metrics, and leaves the private key in no answer, log line, attempt or Temporal payload', async () => {
    const { key, created, send } = await destination(tlsOf(otherClient));
    const { eventId, delivery } = await send('succeeded');
    const keyBody = otherClient.privateKey.split('\n')[1]!;
    const plain = new Client({ connection, namespace: hookline.config.temporal.namespace });
    const history = JSON.stringify(await plain.workflow.getHandle(`event-${eventId}`).fetchHistory());
    const row = await hookline.db.selectFrom('destinations').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    const answers = JSON.stringify([
      created.body,
      (await hookline.request('GET', `/v1/destinations/${created.id}`, { key })).body,
      (await hookline.request('GET', '/v1/destinations', { key })).body,
      delivery,
    ]);
    const attempts = JSON.stringify(await hookline.db.selectFrom('attempts').selectAll().where('delivery_id', '=', delivery.id).execute());

    expect(row.client_key_sealed).toMatch(/^sealed:v1:/);
    for (const text of [answers, attempts, logs.text(), history]) expect(text).not.toContain(keyBody);
    // One process here: the API's /metrics serves the worker's series too.
    const metrics = await scrape(`${hookline.baseUrl}/metrics`);
    expect(metrics.samples).toContainEqual(
      expect.objectContaining({
        name: 'hookline_client_certificate_expiry_timestamp_seconds',
        labels: expect.objectContaining({ destination_id: created.id }),
        value: Math.floor(otherClient.notAfter.getTime() / 1000),
      }),
    );
  });
});
