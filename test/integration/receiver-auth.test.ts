// Receivers that authenticate Hookline: v1a (ed25519) signatures with key rotation, Segment's X-Signature, and Basic auth — credentials never shown again.
import { createHmac, createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver';
import { captureLogs } from '../support/log-capture';

const MASK = '••••••';
const PASSWORD = 'crm-password-never-shown-0421';
const OWN_KEY_SEED = Buffer.from('receiver-auth-spec-ed25519-seed!'); // 32 bytes

/** Node's own ed25519 check of one v1a signature, with nothing but the whpk_ key: no Hookline code involved. */
function v1aVerifies(publicKey: string, request: ReceivedRequest): boolean[] {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey.slice(5), 'base64').toString('base64url') }, format: 'jwk' });
  const signed = Buffer.from(`${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.${request.body}`);
  return request.headers['webhook-signature']!.split(' ').map(
    (entry) => entry.startsWith('v1a,') && verify(null, signed, key, Buffer.from(entry.slice(4), 'base64')),
  );
}

describe('receivers that authenticate', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let connection: Connection;
  // Every line the API and the worker write, at the most talkative level.
  const logs = captureLogs('trace');

  beforeAll(async () => {
    hookline = await startHookline({}, { logger: logs.logger });
    receiver = await startReceiver(() => ({ status: 200 }));
    connection = await Connection.connect({ address: hookline.config.temporal.address });
  });

  afterAll(async () => {
    await connection?.close();
    await receiver?.close();
    await hookline?.close();
  });

  async function destination(settings: Record<string, unknown>) {
    const { key } = await hookline.createWorkspace();
    const path = `/${Math.random().toString(36).slice(2)}`;
    const created = await makeDestination(hookline, key, { url: `${receiver.url}${path}`, event_types: ['*'], ...settings });
    const deliverOne = async () => {
      const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { email: 'zoë@example.com' } });
      const delivery = await onlyDeliveryOf(hookline, key, eventId, 'succeeded');
      const requests = receiver.requests.filter((r) => r.path === path);
      return { request: requests[requests.length - 1]!, delivery, eventId };
    };
    return { key, created, deliverOne };
  }

  describe('Standard Webhooks v1a (ed25519)', () => {
    it('signs with a key pair made for the destination; the receiver verifies with the public key shown on every read', async () => {
      const { key, created, deliverOne } = await destination({ signature_scheme: 'standard_webhooks_ed25519' });
      const publicKey: string = created.body.public_key;
      expect(publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
      expect((await hookline.request('GET', `/v1/destinations/${created.id}`, { key })).body.public_key).toBe(publicKey);

      const { request } = await deliverOne();

      expect(request.headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
      expect(v1aVerifies(publicKey, request)).toEqual([true]);
      // The private key is sealed: neither the row nor any answer holds it in plain.
      const row = await hookline.db.selectFrom('destinations').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
      expect(row.signing_key_sealed).toMatch(/^v1:/);
      expect(JSON.stringify(created.body)).not.toContain('whsk_');
    });

    it('rotates the key with overlap: both v1a signatures until the grace period ends, each verifying with its own public key', async () => {
      const { key, created, deliverOne } = await destination({ signature_scheme: 'standard_webhooks_ed25519' });
      const oldKey: string = created.body.public_key;

      const rotated = await hookline.request('POST', `/v1/destinations/${created.id}/rotate-signing-key`, { key, body: { grace_period_seconds: 3600 } });

      expect(rotated.status).toBe(200);
      expect(rotated.body.public_key).not.toBe(oldKey);
      expect(rotated.body.previous_public_key).toEqual({ public_key: oldKey, expires_at: expect.any(String) });
      expect(Date.parse(rotated.body.previous_public_key.expires_at) - Date.now()).toBeGreaterThan(3_500_000);
      const { request } = await deliverOne();
      expect(v1aVerifies(rotated.body.public_key, request)).toEqual([true, false]);
      expect(v1aVerifies(oldKey, request)).toEqual([false, true]);

      const retired = await hookline.request('POST', `/v1/destinations/${created.id}/rotate-signing-key`, { key, body: { grace_period_seconds: 0 } });
      expect(retired.body.previous_public_key).toBeNull();
      expect(v1aVerifies(retired.body.public_key, (await deliverOne()).request)).toEqual([true]);
    });

    it('takes a key the platform brings (its 32-byte seed), answers only its public key, and refuses a malformed one with 400', async () => {
      const { key, created, deliverOne } = await destination({ signature_scheme: 'standard_webhooks_ed25519' });
      const own = `whsk_${OWN_KEY_SEED.toString('base64')}`;
      const expected = createPublicKey(
        createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), OWN_KEY_SEED]), format: 'der', type: 'pkcs8' }),
      );
      const expectedPublic = `whpk_${Buffer.from(expected.export({ format: 'jwk' }).x!, 'base64url').toString('base64')}`;

      const rotated = await hookline.request('POST', `/v1/destinations/${created.id}/rotate-signing-key`, {
        key,
        body: { private_key: own, grace_period_seconds: 0 },
      });
      const malformed = await hookline.request('POST', `/v1/destinations/${created.id}/rotate-signing-key`, { key, body: { private_key: 'whsk_AAAA' } });

      expect(rotated.body.public_key).toBe(expectedPublic);
      expect(JSON.stringify(rotated.body)).not.toContain(own.slice(5));
      expect(v1aVerifies(expectedPublic, (await deliverOne()).request)).toEqual([true]);
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toEqual(expect.objectContaining({ code: 'validation_failed', message: expect.stringContaining('32 or 64 bytes') }));
    });

    it('makes the key when a destination switches to v1a, and keeps it through a switch away and back', async () => {
      const { key, created } = await destination({});
      expect(created.body.public_key).toBeNull();

      const switched = await hookline.request('PATCH', `/v1/destinations/${created.id}`, { key, body: { signature_scheme: 'standard_webhooks_ed25519' } });
      await hookline.request('PATCH', `/v1/destinations/${created.id}`, { key, body: { signature_scheme: 'standard_webhooks' } });
      const back = await hookline.request('PATCH', `/v1/destinations/${created.id}`, { key, body: { signature_scheme: 'standard_webhooks_ed25519' } });

      expect(switched.body.public_key).toMatch(/^whpk_/);
      expect(back.body.public_key).toBe(switched.body.public_key);
    });
  });

  it('signs hmac_sha1_hex as the bare hex HMAC-SHA1 of the body in X-Signature, as receivers written for Segment check it', async () => {
    const { created, deliverOne } = await destination({ signature_scheme: 'hmac_sha1_hex' });
    expect(created.body.signature_header).toBe('X-Signature');

    const { request } = await deliverOne();

    expect(request.headers['x-signature']).toBe(createHmac('sha1', created.secret).update(request.body).digest('hex'));
    expect(request.headers['webhook-signature']).toBeUndefined();
  });

  describe('Basic auth', () => {
    it('sends Authorization: Basic with every request, and shows the password masked in answers and attempt records', async () => {
      const { key, created, deliverOne } = await destination({ basic_auth: { username: 'hookline', password: PASSWORD } });

      const { request, delivery } = await deliverOne();

      expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`hookline:${PASSWORD}`).toString('base64')}`);
      expect(created.body.basic_auth).toEqual({ username: 'hookline', password: MASK });
      expect((await hookline.request('GET', `/v1/destinations/${created.id}`, { key })).body.basic_auth).toEqual({ username: 'hookline', password: MASK });
      expect(delivery.attempts[0].request.headers.authorization).toBe(MASK);
      const row = await hookline.db.selectFrom('destinations').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
      expect(row.basic_auth_password_sealed).toMatch(/^sealed:v1:/);
      const attempts = await hookline.db.selectFrom('attempts').selectAll().where('delivery_id', '=', delivery.id).execute();
      expect(JSON.stringify(attempts)).not.toContain(Buffer.from(`hookline:${PASSWORD}`).toString('base64'));
    });

    it('keeps the stored password when a PATCH sends the mask back, changes it when given a new one, and drops it with null', async () => {
      const { key, created, deliverOne } = await destination({ basic_auth: { username: 'hookline', password: PASSWORD } });
      const patch = (body: unknown) => hookline.request('PATCH', `/v1/destinations/${created.id}`, { key, body });

      expect((await patch({ name: 'renamed', basic_auth: { username: 'hookline2', password: MASK } })).status).toBe(200);
      expect((await deliverOne()).request.headers.authorization).toBe(`Basic ${Buffer.from(`hookline2:${PASSWORD}`).toString('base64')}`);
      expect((await patch({ basic_auth: { username: 'hookline2', password: 'a-new-password-0422' } })).status).toBe(200);
      expect((await deliverOne()).request.headers.authorization).toBe(`Basic ${Buffer.from('hookline2:a-new-password-0422').toString('base64')}`);
      expect((await patch({ basic_auth: null })).body.basic_auth).toBeNull();
      expect((await deliverOne()).request.headers.authorization).toBeUndefined();
    });

    it('refuses a second source of Authorization, a colon in the username, and the mask with nothing stored, each with its code', async () => {
      const { key } = await hookline.createWorkspace();
      const create = (body: Record<string, unknown>) =>
        hookline.request('POST', '/v1/destinations', { key, body: { name: 'x', url: `${receiver.url}/x`, ...body } });

      const both = await create({ headers: { Authorization: 'Bearer abc' }, basic_auth: { username: 'a', password: 'b' } });
      const colon = await create({ basic_auth: { username: 'a:b', password: 'c' } });
      const masked = await create({ basic_auth: { username: 'a', password: MASK } });

      expect([both.status, both.body.error.code]).toEqual([422, 'conflicting_authorization']);
      expect([colon.status, colon.body.error.code]).toEqual([422, 'invalid_basic_auth']);
      expect([masked.status, masked.body.error.code]).toEqual([422, 'invalid_basic_auth']);
    });
  });

  it('leaves no password or private key in any log line, nor in the event workflow history read without the key', async () => {
    const { created, deliverOne } = await destination({ signature_scheme: 'standard_webhooks_ed25519', basic_auth: { username: 'logs', password: PASSWORD } });
    const { eventId } = await deliverOne();
    const row = await hookline.db.selectFrom('destinations').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    const plain = new Client({ connection, namespace: hookline.config.temporal.namespace });
    const history = JSON.stringify(await plain.workflow.getHandle(`event-${eventId}`).fetchHistory());
    const basic = Buffer.from(`logs:${PASSWORD}`).toString('base64');

    expect(logs.entries().length).toBeGreaterThan(0);
    for (const text of [logs.text(), history]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(basic);
      expect(text).not.toContain('whsk_');
      expect(text).not.toContain(row.signing_key_sealed!.slice(3, 40));
    }
  });
});
