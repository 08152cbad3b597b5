import { loadConfig } from '../../src/config/config';

describe('configuration', () => {
  const base = { DATABASE_URL: 'postgres://localhost/db', HOOKLINE_ADMIN_TOKEN: 'a'.repeat(16), HOOKLINE_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') };

  it('still starts where a deployment sets variables it no longer reads (HOOKLINE_MODE, HOOKLINE_IDEMPOTENCY_WINDOW)', () => {
    const config = loadConfig({ ...base, HOOKLINE_MODE: 'production', HOOKLINE_IDEMPOTENCY_WINDOW: '24h' });
    expect(config).not.toHaveProperty('mode');
    expect(config.ingestion).toEqual({ maxPayloadBytes: 262_144 });
  });
});
