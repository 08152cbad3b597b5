// What the processes read from the environment at start, and how they refuse a configuration they cannot run with.
import { ConfigError, loadConfig } from '../../src/config/config';

describe('configuration', () => {
  const base = { DATABASE_URL: 'postgres://localhost/db', HOOKLINE_ADMIN_TOKEN: 'a'.repeat(16), HOOKLINE_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') };

  it('starts from the three required variables, with the documented payload cap', () => {
    const config = loadConfig(base);
    expect(config.database.url).toBe('postgres://localhost/db');
    expect(config.encryptionKey).toEqual(Buffer.alloc(32));
    expect(config.ingestion).toEqual({ maxPayloadBytes: 262_144 });
    expect(loadConfig({ ...base, HOOKLINE_MAX_PAYLOAD_BYTES: '4096' }).ingestion).toEqual({ maxPayloadBytes: 4096 });
  });

  it('refuses to start without them, naming each variable and what it needs', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, DATABASE_URL: '' })).toThrow(/DATABASE_URL is required/);
    expect(() => loadConfig({ ...base, HOOKLINE_ADMIN_TOKEN: 'short' })).toThrow(/HOOKLINE_ADMIN_TOKEN must be at least 16 characters/);
    expect(() => loadConfig({ ...base, HOOKLINE_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/HOOKLINE_ENCRYPTION_KEY must be 32 bytes/);
  });
});
