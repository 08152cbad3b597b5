import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { verifyWebhook } from '@hookline/verify';
import { generateSecret } from '../../src/domain/sign';
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver';

/** What a receiver built for the GitHub-style scheme computes: no library, the secret as the HMAC key. */
function plainHexSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Standard Webhooks' verdict, as the public reference library gives it. */
function referenceVerifies(secret: string, request: ReceivedRequest): boolean {
  try {
    new Webhook(secret).verify(request.body, request.headers);
    return true;
  } catch {
    return false;
  }
}

describe('webhook signatures', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;

  beforeAll(async () => {
    hookline = await startHookline();
    receiver = await startReceiver(() => ({ status: 200 }));
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  /** A workspace with one destination at its own receiver path, and a way to deliver one event and read the request. */
  async function destination(settings: Record<string, unknown>) {
    const { key } = await hookline.createWorkspace();
    const path = `/${Math.random().toString(36).slice(2)}`;
    const created = await makeDestination(hookline, key, { url: `${receiver.url}${path}`, event_types: ['*'], ...settings });
    const deliverOne = async (): Promise<ReceivedRequest> => {
      const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { email: 'zoë@example.com', n: 1 } });
      await onlyDeliveryOf(hookline, key, eventId, 'succeeded');
      const requests = receiver.requests.filter((r) => r.path === path);
      return requests[requests.length - 1]!;
    };
    return { key, created, deliverOne };
  }

  it('signs with Standard Webhooks so that the reference library and verifyWebhook() both accept it', async () => {
    const { created, deliverOne } = await destination({});

    const request = await deliverOne();

    expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(referenceVerifies(created.secret, request)).toBe(true);
    expect(verifyWebhook({ headers: request.headers, body: request.body, secret: created.secret })).toBe(true);
    // Verification means something: another secret, or a changed body, is refused by both.
    expect(referenceVerifies(generateSecret(), request)).toBe(false);
    expect(verifyWebhook({ headers: request.headers, body: `${request.body} `, secret: created.secret })).toBe(false);
  });

  it('signs the hex scheme as a plain HMAC-SHA256 of the raw body under X-Webhook-Signature', async () => {
    const secret = 'receiver-shared-secret-0001';
    const { deliverOne } = await destination({ signature_scheme: 'hmac_sha256_hex', secret });

    const request = await deliverOne();

    expect(request.headers['x-webhook-signature']).toBe(plainHexSignature(secret, request.body));
    expect(request.headers['webhook-signature']).toBeUndefined();
    expect(verifyWebhook({ headers: request.headers, body: request.body, secret, scheme: 'hmac_sha256_hex' })).toBe(true);
  });

  it('signs the hex scheme under a chosen header, keyed by a generated secret exactly as it was shown', async () => {
    const { created, deliverOne } = await destination({ signature_scheme: 'hmac_sha256_hex', signature_header: 'X-Hub-Signature-256' });

    const request = await deliverOne();

    expect(request.headers['x-webhook-signature']).toBeUndefined();
    expect(request.headers['x-hub-signature-256']).toBe(plainHexSignature(created.secret, request.body));
    expect(
      verifyWebhook({ headers: request.headers, body: request.body, secret: created.secret, scheme: 'hmac_sha256_hex', header: 'X-Hub-Signature-256' }),
    ).toBe(true);
  });

  it('signs with both secrets after a rotation, and each secret alone verifies (Standard Webhooks)', async () => {
    const { key, created, deliverOne } = await destination({});
    const rotated = await hookline.request('POST', `/v1/destinations/${created.id}/rotate-secret`, { key, body: {} });
    expect(rotated.status).toBe(200);
    const [oldSecret, newSecret] = [created.secret, rotated.body.secret as string];
    expect(newSecret).not.toBe(oldSecret);

    const request = await deliverOne();

    expect(request.headers['webhook-signature']!.split(' ')).toEqual([expect.stringMatching(/^v1,/), expect.stringMatching(/^v1,/)]);
    for (const secret of [oldSecret, newSecret]) {
      expect(referenceVerifies(secret, request)).toBe(true);
      expect(verifyWebhook({ headers: request.headers, body: request.body, secret })).toBe(true);
    }
  });

  it('gets a hex-scheme receiver that compares the header exactly through a rotation, whichever secret it holds', async () => {
    // A GitHub-style receiver: 401 unless the header is exactly `sha256=` + the HMAC under the one secret it holds.
    let held = '';
    const exact = await startReceiver((request) => ({ status: request.headers['x-webhook-signature'] === plainHexSignature(held, request.body) ? 200 : 401 }));
    try {
      const { key } = await hookline.createWorkspace();
      const created = await makeDestination(hookline, key, { url: `${exact.url}/crm`, event_types: ['*'], signature_scheme: 'hmac_sha256_hex' });
      held = created.secret;
      const rotated = await hookline.request('POST', `/v1/destinations/${created.id}/rotate-secret`, { key, body: {} });
      expect(rotated.status).toBe(200);
      const newSecret = rotated.body.secret as string;
      /** Delivers one event and answers the requests it took and the delivery's recorded attempts. */
      const deliverOne = async () => {
        const before = exact.requests.length;
        const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { email: 'zoë@example.com' } });
        const delivery = await onlyDeliveryOf(hookline, key, eventId, 'succeeded');
        return { requests: exact.requests.slice(before), attempts: delivery.attempts.map((a: { response: { status: number } | null }) => a.response?.status) };
      };

      // Still holding the old secret: the new signature is refused, the old one accepted at once, in one attempt.
      const first = await deliverOne();
      expect(first.requests.map((r) => r.headers['x-webhook-signature'])).toEqual([
        plainHexSignature(newSecret, first.requests[0]!.body),
        plainHexSignature(held, first.requests[0]!.body),
      ]);
      expect(first.attempts).toEqual([200]);
      // Remembered: the next delivery is one request, signed with the old secret.
      const second = await deliverOne();
      expect(second.requests.map((r) => r.headers['x-webhook-signature'])).toEqual([plainHexSignature(held, second.requests[0]!.body)]);

      // The receiver switches to the new secret: one refusal, then the new one, and that is remembered too.
      held = newSecret;
      const third = await deliverOne();
      expect(third.requests).toHaveLength(2);
      expect(third.requests[1]!.headers['x-webhook-signature']).toBe(plainHexSignature(newSecret, third.requests[1]!.body));
      const fourth = await deliverOne();
      expect(fourth.requests.map((r) => r.headers['x-webhook-signature'])).toEqual([plainHexSignature(newSecret, fourth.requests[0]!.body)]);
      // Every request carried exactly one signature: nothing for an exact comparison to trip on.
      expect(exact.requests.every((r) => !r.headers['x-webhook-signature']!.includes(','))).toBe(true);
    } finally {
      await exact.close();
    }
  });

  it('stops signing with the old secret once a rotation retires it at once', async () => {
    const { key, created, deliverOne } = await destination({});
    const rotated = await hookline.request('POST', `/v1/destinations/${created.id}/rotate-secret`, { key, body: { grace_period_seconds: 0 } });
    expect(rotated.status).toBe(200);

    const request = await deliverOne();

    expect(request.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(referenceVerifies(rotated.body.secret, request)).toBe(true);
    expect(referenceVerifies(created.secret, request)).toBe(false);
  });
});
