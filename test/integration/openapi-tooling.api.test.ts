// The served OpenAPI document passes Redocly's recommended lint, and the committed client is generated from it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApiHarness, type ApiHarness } from '../support/api-harness';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

describe('OpenAPI tooling', () => {
  let harness: ApiHarness;
  let dir: string;

  beforeAll(async () => {
    harness = await startApiHarness();
    dir = await mkdtemp(join(tmpdir(), 'hookline-openapi-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await harness.close();
  });

  it('lints clean with @redocly/cli and the committed recommended config: no errors, no warnings', async () => {
    const served = await harness.request('GET', '/openapi.json');
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(served.body));

    const lint = await run(process.execPath, [require.resolve('@redocly/cli/bin/cli.js'), 'lint', '--config', join(ROOT, 'redocly.yaml'), file], {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    }).catch((error: { stdout: string; stderr: string }) => error);

    const output = `${lint.stdout}\n${lint.stderr}`;
    expect(output).toContain('Your API description is valid');
    expect(output).not.toMatch(/warning/i);
  });

  it('has the client package generated from the current document (openapi.json and src/schema.ts are fresh)', async () => {
    const check = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'packages/client/scripts/generate.ts'), '--check'], { cwd: ROOT }).catch(
      (error: { stderr: string; code: number }) => error,
    );
    expect('code' in check ? check.stderr : '').toBe('');
  });
});
