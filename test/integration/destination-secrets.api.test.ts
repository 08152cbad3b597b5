// Signing secrets through the API: shown exactly once, sealed at rest, rotated with a grace period.
import { Writable } from 'node:stream';
import pino from 'pino';
import { startApiServer } from '../../src/api/server';
import { loadConfig } from '../../src/config/config';
import { openSecret } from '../../src/domain/secret-box';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { createDestination, refusal } from './destination-fixtures';

const HOUR_MS = 3_600_000;

describe('destination signing secrets', () => {
  let harness: ApiHarness;
  let key: string;

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ key } = await harness.createWorkspace('secrets'));
  });

  afterAll(async () => {
    await harness.close();
  });

  async function sealedRow(id: string) {
    return harness.db
      .selectFrom('destinations')
      .select(['secret_sealed', 'previous_secret_sealed', 'previous_secret_expires_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  it('generates a Standard Webhooks secret (whsec_ + base64 of at least 24 bytes)', async () => {
    const { secret } = await createDestination(harness, key);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64').length).toBeGreaterThanOrEqual(24);
  });

  it('generates a different secret for every destination', async () => {
    const first = await createDestination(harness, key);
    const second = await createDestination(harness, key);
    expect(first.secret).not.toBe(second.secret);
  });

  it('shows the secret in the create response and in no other response', async () => {
    const { id, secret } = await createDestination(harness, key, { event_types: ['contact.created'] });
    const responses = [
      await harness.request('GET', `/v1/destinations/${id}`, { key }),
      await harness.request('GET', '/v1/destinations?limit=100', { key }),
      await harness.request('PATCH', `/v1/destinations/${id}`, { key, body: { name: 'renamed' } }),
      await harness.request('GET', `/v1/destinations/${id}/subscriptions`, { key }),
      await harness.request('PUT', `/v1/destinations/${id}/subscriptions`, { key, body: { event_types: ['*'] } }),
    ];
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).not.toContain(secret);
      expect(JSON.stringify(response.body)).not.toContain('secret_sealed');
      expect(JSON.stringify(response.body)).not.toMatch(/"secret"/);
    }
  });

  it('stores the secret sealed, so the row alone does not reveal it', async () => {
    const { id, secret } = await createDestination(harness, key);
    const row = await harness.db.selectFrom('destinations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret.slice('whsec_'.length));
    expect(openSecret(row.secret_sealed, harness.config.encryptionKey)).toBe(secret);
  });

  it('accepts a caller-supplied secret of 16 or more characters and returns it once', async () => {
    const own = 'my-own-secret-0123456789';
    const { id, secret } = await createDestination(harness, key, { secret: own });
    expect(secret).toBe(own);
    const row = await sealedRow(id);
    expect(row.secret_sealed).not.toContain(own);
    expect(openSecret(row.secret_sealed, harness.config.encryptionKey)).toBe(own);
  });

  it('refuses a caller-supplied secret under 16 characters with 400 validation_failed', async () => {
    const response = await harness.request('POST', '/v1/destinations', {
      key,
      body: { name: 'short', url: 'https://hooks.example.com/in', secret: '15-characters!!' },
    });
    expect(refusal(response)).toEqual({ status: 400, code: 'validation_failed' });
    expect(response.body.error.details[0].path).toBe('body.secret');
  });

  it.each([
    ['not base64 after the prefix', 'whsec_not*base64!-but-long', /base64/],
    ['a key of 16 bytes', `whsec_${Buffer.alloc(16, 1).toString('base64')}`, /24 to 64 bytes, got 16/],
  ])('refuses a whsec_ secret %s with 400 validation_failed: it would sign with another key than the receiver derives', async (_label, secret, why) => {
    const response = await harness.request('POST', '/v1/destinations', { key, body: { name: 'malformed', url: 'https://hooks.example.com/in', secret } });
    expect(refusal(response)).toEqual({ status: 400, code: 'validation_failed' });
    expect(response.body.error.details[0].path).toBe('body.secret');
    expect(response.body.error.details[0].message).toMatch(why);
  });

  it('keeps secrets out of the logs, even at trace level', async () => {
    const lines: string[] = [];
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const server = await startApiServer({
      config: harness.config,
      db: harness.db,
      temporal: harness.temporal,
      logger: pino({ level: 'trace' }, capture),
      version: 'test',
    });
    const call = (method: string, path: string, body?: unknown, raw?: string) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, any> }));
    try {
      const own = 'logged-nowhere-0123456789';
      const created = await call('POST', '/v1/destinations', { name: 'logs', url: 'https://hooks.example.com/in', secret: own });
      expect(created.status).toBe(201);
      const rotated = await call('POST', `/v1/destinations/${created.body.id}/rotate-secret`, {});
      expect(rotated.status).toBe(200);
      const refused = await call('POST', '/v1/destinations', {
        name: 'x',
        url: 'https://hooks.example.com/in',
        headers: { Host: 'x' },
        secret: 'refused-secret-0123456789',
      });
      expect(refused.status).toBe(422);
      const malformed = await call('POST', '/v1/destinations', undefined, '{"secret": "malformed-secret-0123456789",');
      expect(malformed.status).toBe(400);

      const logged = lines.join('');
      for (const secret of [own, rotated.body.secret as string, 'refused-secret-0123456789', 'malformed-secret-0123456789']) {
        expect(logged).not.toContain(secret);
      }
    } finally {
      await server.close();
    }
  });

  describe('rotation', () => {
    it('issues a new secret and keeps the old one valid for the configured grace period', async () => {
      const { id, secret: old } = await createDestination(harness, key);
      const before = Date.now();
      const response = await harness.request('POST', `/v1/destinations/${id}/rotate-secret`, { key, body: {} });
      expect(response.status).toBe(200);
      const { secret, previous_secret_expires_at: expiresAt } = response.body;
      expect(secret).toMatch(/^whsec_/);
      expect(secret).not.toBe(old);
      expect(response.body.id).toBe(id);

      const expectedMs = before + harness.config.delivery.secretRotationGraceMs;
      expect(Math.abs(new Date(expiresAt).getTime() - expectedMs)).toBeLessThan(60_000);

      const row = await sealedRow(id);
      expect(openSecret(row.secret_sealed, harness.config.encryptionKey)).toBe(secret);
      expect(openSecret(row.previous_secret_sealed!, harness.config.encryptionKey)).toBe(old);
      expect(row.previous_secret_expires_at?.toISOString()).toBe(expiresAt);
    });

    it('defaults the grace period to 24 hours', () => {
      const config = loadConfig({
        DATABASE_URL: 'postgres://localhost/hookline',
        HOOKLINE_ADMIN_TOKEN: 'a'.repeat(32),
        HOOKLINE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      });
      expect(config.delivery.secretRotationGraceMs).toBe(24 * HOUR_MS);
    });

    it('honours a grace period given in the request', async () => {
      const { id } = await createDestination(harness, key);
      const before = Date.now();
      const response = await harness.request('POST', `/v1/destinations/${id}/rotate-secret`, { key, body: { grace_period_seconds: 3600 } });
      expect(Math.abs(new Date(response.body.previous_secret_expires_at).getTime() - (before + HOUR_MS))).toBeLessThan(60_000);
    });

    it('retires the old secret at once with a grace period of 0', async () => {
      const { id } = await createDestination(harness, key);
      const response = await harness.request('POST', `/v1/destinations/${id}/rotate-secret`, { key, body: { grace_period_seconds: 0 } });
      expect(response.body.previous_secret_expires_at).toBeNull();
      const row = await sealedRow(id);
      expect(row.previous_secret_sealed).toBeNull();
      expect(row.previous_secret_expires_at).toBeNull();
    });

    it('accepts a caller-supplied replacement secret', async () => {
      const { id } = await createDestination(harness, key);
      const own = 'rotated-by-hand-0123456789';
      const response = await harness.request('POST', `/v1/destinations/${id}/rotate-secret`, { key, body: { secret: own } });
      expect(response.body.secret).toBe(own);
      expect(openSecret((await sealedRow(id)).secret_sealed, harness.config.encryptionKey)).toBe(own);
    });

    it('keeps only the secret it replaced as the previous one when rotated twice', async () => {
      const { id } = await createDestination(harness, key);
      const first = await harness.request('POST', `/v1/destinations/${id}/rotate-secret`, { key, body: {} });
      const second = await harness.request('POST', `/v1/destinations/${id}/rotate-secret`, { key, body: {} });
      const row = await sealedRow(id);
      expect(openSecret(row.secret_sealed, harness.config.encryptionKey)).toBe(second.body.secret);
      expect(openSecret(row.previous_secret_sealed!, harness.config.encryptionKey)).toBe(first.body.secret);
    });

    it('does not lose a secret when two rotations race', async () => {
      const { id } = await createDestination(harness, key);
      const [a, b] = await Promise.all([
        harness.request('POST', `/v1/destinations/${id}/rotate-secret`, { key, body: {} }),
        harness.request('POST', `/v1/destinations/${id}/rotate-secret`, { key, body: {} }),
      ]);
      const row = await sealedRow(id);
      const stored = [openSecret(row.secret_sealed, harness.config.encryptionKey), openSecret(row.previous_secret_sealed!, harness.config.encryptionKey)];
      expect(stored.sort()).toEqual([a.body.secret, b.body.secret].sort());
    });

    it.each([
      ['a negative grace period', { grace_period_seconds: -1 }],
      ['a grace period over 7 days', { grace_period_seconds: 7 * 24 * 3600 + 1 }],
      ['a replacement secret under 16 characters', { secret: 'too-short' }],
      ['a replacement whsec_ secret that is not base64', { secret: 'whsec_not*base64!-but-long' }],
      ['an unknown field', { expires: 'never' }],
    ])('refuses %s with 400 validation_failed', async (_label, body) => {
      const { id } = await createDestination(harness, key);
      const response = await harness.request('POST', `/v1/destinations/${id}/rotate-secret`, { key, body });
      expect(refusal(response)).toEqual({ status: 400, code: 'validation_failed' });
    });

    it('answers 404 for a deleted destination', async () => {
      const { id } = await createDestination(harness, key);
      await harness.request('DELETE', `/v1/destinations/${id}`, { key });
      const response = await harness.request('POST', `/v1/destinations/${id}/rotate-secret`, { key, body: {} });
      expect(refusal(response)).toEqual({ status: 404, code: 'not_found' });
    });
  });
});
