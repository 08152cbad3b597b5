import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../src/api/http/app';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';

describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  it('lists every API route the app serves in its API overview', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://unused',
      HOOKLINE_ADMIN_TOKEN: 'readme-test-token-0123',
      HOOKLINE_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
    });
    // Building the app only registers routes; nothing here touches the database or Temporal.
    const { routes } = createApp({
      config,
      db: {} as never,
      temporal: {} as never,
      logger: createLogger({ level: 'silent', name: 'readme-test' }),
      version: 'test',
    });
    const missing = routes.routes().filter((route) => !readme.includes(`\`${route.method.toUpperCase()} ${route.path}\``));
    expect(missing).toEqual([]);
  });

  it('documents every environment variable the configuration schema reads', () => {
    const source = readFileSync(join(__dirname, '..', '..', 'src', 'config', 'config.ts'), 'utf8');
    const variables = [...source.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]!);
    expect(variables.length).toBeGreaterThan(10);
    const undocumented = variables.filter((name) => !readme.includes(name) && !readme.includes(name.replace(/_(MIN|MAX)$/, '')));
    expect(undocumented).toEqual([]);
  });
});
