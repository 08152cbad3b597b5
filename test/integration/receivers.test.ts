// Real Hookline deliveries verified as receivers do: @hookline/verify's Express middleware, and the Python and Go examples.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { webhookMiddleware, type VerifiedRequest } from '@hookline/verify';
import express from 'express';
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const SCHEMES = ['standard_webhooks', 'standard_webhooks_ed25519', 'hmac_sha256_hex', 'hmac_sha1_hex'] as const;
/** No network for Go: the example needs nothing but the standard library and the local toolchain. */
const GO_OFFLINE = { GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' };

describe('receiving real deliveries', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let dir: string;
  let goVerifier: string;

  beforeAll(async () => {
    hookline = await startHookline();
    receiver = await startReceiver(() => ({ status: 200 }));
    dir = await mkdtemp(join(tmpdir(), 'hookline-receivers-'));
    // Built once up front: a cold Go build cache takes a while, and a saved delivery's timestamp must stay fresh.
    goVerifier = join(dir, 'verify-go');
    await run('go', ['build', '-o', goVerifier, '.'], { cwd: join(ROOT, 'examples', 'verify-go'), env: { ...process.env, ...GO_OFFLINE } });
  }, 240_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await receiver?.close();
    await hookline?.close();
  });

  /** What a receiver verifies with: the secret, or for v1a the public key alone (it holds no secret). */
  function verifyingKey(scheme: (typeof SCHEMES)[number], destination: { secret: string; body: { public_key: string | null } }): string {
    if (scheme !== 'standard_webhooks_ed25519') return destination.secret;
    expect(destination.body.public_key).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    return destination.body.public_key!;
  }

  /** One delivery of contact.created to `url` with the scheme; what verifies it and the event's id. */
  async function deliver(scheme: (typeof SCHEMES)[number], url: string) {
    const { key } = await hookline.createWorkspace();
    const destination = await makeDestination(hookline, key, { url, event_types: ['contact.*'], signature_scheme: scheme });
    const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { id: 'c_42', email: 'zoë@example.com' } });
    await onlyDeliveryOf(hookline, key, eventId, 'succeeded');
    return { secret: verifyingKey(scheme, destination), eventId };
  }

  describe.each(SCHEMES)('with %s', (scheme) => {
    it('@hookline/verify middleware in Express lets the delivery through parsed, and answers 401 to a forged copy', async () => {
      const received: VerifiedRequest[] = [];
      const forged: { status: number; code: string }[] = [];
      let secret = '';
      const app = express();
      // The secret is known only once the destination exists; the middleware is built per request for that reason.
      app.post(
        '/hooks',
        (req, res, next) => void webhookMiddleware({ secret, scheme })(req, res, next),
        (req, res) => {
          received.push(req as unknown as VerifiedRequest);
          res.status(204).end();
        },
      );
      const server: Server = await new Promise((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
      try {
        const { key } = await hookline.createWorkspace();
        const destination = await makeDestination(hookline, key, { url, event_types: ['contact.*'], signature_scheme: scheme });
        secret = verifyingKey(scheme, destination);
        const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { id: 'c_42', email: 'zoë@example.com' } });
        const delivery = await onlyDeliveryOf(hookline, key, eventId, 'succeeded');

        expect(delivery.last_status_code).toBe(204);
        expect(received).toHaveLength(1);
        expect(received[0]!.body).toEqual(expect.objectContaining({ id: eventId, type: 'contact.created', data: { id: 'c_42', email: 'zoë@example.com' } }));

        // The genuine signature headers on another body: what an attacker who saw one delivery could send.
        const signed = Object.fromEntries(Object.entries(received[0]!.headers).filter(([name]) => /signature|^webhook-/i.test(name))) as Record<string, string>;
        const replay = await fetch(url, {
          method: 'POST',
          headers: { ...signed, 'content-type': 'application/json' },
          body: JSON.stringify({ id: eventId, type: 'contact.deleted' }),
        });
        forged.push({ status: replay.status, code: ((await replay.json()) as { error: { code: string } }).error.code });
        expect(forged).toEqual([{ status: 401, code: 'no_matching_signature' }]);
        expect(received).toHaveLength(1);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it.each(['python', 'go'])('the %s example verifies a saved delivery and rejects it once tampered with', async (tool) => {
      const path = `/${tool}-${scheme}`;
      const { secret, eventId } = await deliver(scheme, `${receiver.url}${path}`);
      const request: ReceivedRequest = receiver.requests.find((r) => r.path === path)!;
      const saved = join(dir, `${tool}-${scheme}.json`);
      const tampered = join(dir, `${tool}-${scheme}-tampered.json`);
      await writeFile(saved, JSON.stringify({ headers: request.headers, body_base64: Buffer.from(request.body).toString('base64') }));
      await writeFile(
        tampered,
        JSON.stringify({ headers: request.headers, body_base64: Buffer.from(request.body.replace('c_42', 'c_43')).toString('base64') }),
      );
      const [command, ...args] = tool === 'go' ? [goVerifier] : ['python3', join(ROOT, 'examples', 'verify-python', 'verify.py')];
      const env = { ...process.env, HOOKLINE_SECRET: secret, HOOKLINE_SCHEME: scheme };

      const verified = await run(command!, [...args, saved], { env });
      const rejected = await run(command!, [...args, tampered], { env }).catch((error: { code: number; stdout: string }) => error);

      expect(verified.stdout.trim()).toBe(`verified contact.created ${eventId}`);
      expect(rejected).toEqual(expect.objectContaining({ code: 1, stdout: 'rejected: no valid signature\n' }));
    });
  });
});
