// @hookline/client as a newcomer uses it: a minimal program compiled with tsc, and the hookline CLI, against the real API.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { certificateAuthority, issue } from '../support/certificates';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const CLIENT = join(ROOT, 'packages', 'client');
const CLI = join(CLIENT, 'dist', 'cli.js');

describe('the client package', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;

  beforeAll(async () => {
    hookline = await startHookline();
    receiver = await startReceiver(() => ({ status: 200 }));
  });

  afterAll(async () => {
    await rm(join(CLIENT, 'dist-examples'), { recursive: true, force: true });
    await receiver?.close();
    await hookline?.close();
  });

  it('compiles a minimal program with tsc that creates a destination, posts an event and reads the delivery', async () => {
    const { key } = await hookline.createWorkspace();
    await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(CLIENT, 'examples', 'tsconfig.json')], { cwd: ROOT });

    const { stdout } = await run(process.execPath, [join(CLIENT, 'dist-examples', 'quickstart.js')], {
      env: { ...process.env, HOOKLINE_URL: hookline.baseUrl, HOOKLINE_KEY: key, RECEIVER_URL: `${receiver.url}/quickstart` },
    });

    expect(JSON.parse(stdout)).toEqual(expect.objectContaining({ status: 'succeeded', attempts: 1 }));
    const delivered = receiver.requests.filter((request) => request.path === '/quickstart');
    expect(delivered).toHaveLength(1);
    expect(JSON.parse(delivered[0]!.body)).toEqual(expect.objectContaining({ type: 'contact.created', data: { id: 'c_42', email: 'ada@example.com' } }));
  });

  it('drives the API from the hookline CLI: create a destination, send an event, follow, list and retry its delivery', async () => {
    const { key } = await hookline.createWorkspace();
    const env = { ...process.env, HOOKLINE_URL: hookline.baseUrl, HOOKLINE_KEY: key };
    const cli = async (...args: string[]) => (await run(process.execPath, [CLI, ...args], { env })).stdout;

    const created = await cli('destinations', 'create', '--name', 'CLI receiver', '--url', `${receiver.url}/cli`, '--event-type', 'contact.*');
    const destinationId = /created (dst_\w+)/.exec(created)?.[1];
    expect(created).toMatch(/secret whsec_/);
    expect(await cli('destinations', 'list')).toContain(`${destinationId}  active  ${receiver.url}/cli  contact.*`);

    const follower = spawn(process.execPath, [CLI, 'deliveries', 'follow', '--interval', '200'], { env });
    let followed = '';
    let announced = '';
    follower.stdout.on('data', (chunk: Buffer) => (followed += chunk.toString()));
    follower.stderr.on('data', (chunk: Buffer) => (announced += chunk.toString()));
    try {
      // It follows deliveries made from the moment it announces itself.
      await eventually(async () => (announced.includes('following deliveries') ? true : undefined), 'the follower to start');
      const sent = await cli('events', 'send', '--type', 'contact.created', '--data', '{"id":"c_7"}', '--subject', 'c_7');
      expect(sent).toMatch(/^accepted evt_\w+$/m);

      const line = await eventually(
        async () => followed.split('\n').find((l) => / contact\.created {2}succeeded {2}attempts=1 {2}HTTP 200$/.test(l)),
        'follow to print the success',
      );
      const deliveryId = line.split('  ')[1]!;
      expect(await cli('deliveries', 'list', '--destination', destinationId!)).toContain(`${deliveryId}  contact.created  succeeded`);

      expect(await cli('deliveries', 'retry', deliveryId)).toMatch(new RegExp(`^retrying ${deliveryId} \\(workflow .+\\)$`, 'm'));
      await eventually(async () => (receiver.requests.filter((r) => r.path === '/cli').length === 2 ? true : undefined), 'the retried delivery to arrive');
      const detail = await eventually(async () => {
        const out = await cli('deliveries', 'get', deliveryId);
        return out.split('\n').filter((l) => l.startsWith('  #')).length === 2 ? out : undefined;
      }, 'the delivery to show both attempts');
      expect(detail).toMatch(/^ {2}#\d+ .* HTTP 200 /m);
    } finally {
      follower.kill();
    }

    // Delivery control from the CLI: set a limit, a cap and the order per subject, read the queue, clear them again.
    expect(
      await cli(
        'destinations',
        'control',
        destinationId!,
        '--rate-limit',
        '10/1',
        '--burst',
        '2',
        '--max-concurrent',
        '4',
        '--ordering',
        'subject',
        '--coalesce',
        '5',
      ),
    ).toContain(`${destinationId}  rate_limit=10/1s burst=2  max_concurrent=4  ordering=subject  coalesce=5s`);
    expect(await cli('destinations', 'queue', destinationId!)).toMatch(
      /^queued=0 {2}oldest=- {2}open_requests=0 {2}rate_limit=10\/1s burst=2 {2}max_concurrent=4 {2}ordering=subject {2}coalesce=5s$/m,
    );
    expect(
      await cli('destinations', 'control', destinationId!, '--rate-limit', 'none', '--max-concurrent', 'none', '--ordering', 'none', '--coalesce', 'none'),
    ).toContain(`${destinationId}  rate_limit=none  max_concurrent=none  ordering=none`);
    const badOrdering = await run(process.execPath, [CLI, 'destinations', 'control', destinationId!, '--ordering', 'fifo'], { env }).catch((error) => error);
    expect(badOrdering.code).toBe(64);
    expect(badOrdering.stderr).toContain('--ordering takes subject or none, not fifo');
  });

  it('creates a v1a destination with Basic auth from the CLI (the password from the environment), prints its public key and rotates it', async () => {
    const { key } = await hookline.createWorkspace();
    const env = { ...process.env, HOOKLINE_URL: hookline.baseUrl, HOOKLINE_KEY: key, HOOKLINE_BASIC_AUTH_PASSWORD: 'cli-basic-password-1' };
    const cli = async (...args: string[]) => (await run(process.execPath, [CLI, ...args], { env })).stdout;

    const created = await cli(
      'destinations',
      'create',
      '--name',
      'CLI signed',
      '--url',
      `${receiver.url}/cli-signed`,
      '--scheme',
      'standard_webhooks_ed25519',
      '--basic-auth',
      'crm',
    );
    const id = /^created (dst_\w+)$/m.exec(created)![1]!;
    const publicKey = /^public_key (whpk_\S+) {2}/m.exec(created)![1]!;
    const stored = (await hookline.request('GET', `/v1/destinations/${id}`, { key })).body;
    expect(stored).toMatchObject({ public_key: publicKey, basic_auth: { username: 'crm', password: '••••••' } });
    expect(created).not.toContain('cli-basic-password-1');

    const rotated = await cli('destinations', 'rotate-key', id, '--grace', '60');
    expect(rotated).toMatch(new RegExp(`^previous ${publicKey.replace(/[+/]/g, '\\$&')} {2}signs too until `, 'm'));
    expect(/^public_key (whpk_\S+)$/m.exec(rotated)![1]).toBe((await hookline.request('GET', `/v1/destinations/${id}`, { key })).body.public_key);
    const noPassword = await run(process.execPath, [CLI, 'destinations', 'create', '--name', 'x', '--url', `${receiver.url}/x`, '--basic-auth', 'crm'], {
      env: { ...env, HOOKLINE_BASIC_AUTH_PASSWORD: '' },
    }).catch((error) => error);
    expect(noPassword.code).toBe(64);
    expect(noPassword.stderr).toContain('HOOKLINE_BASIC_AUTH_PASSWORD');

    const withOAuth = await run(
      process.execPath,
      [
        CLI,
        'destinations',
        'create',
        '--name',
        'CLI oauth',
        '--url',
        `${receiver.url}/cli-oauth`,
        '--oauth',
        `${receiver.url}/token`,
        '--oauth-client-id',
        'cli',
        '--oauth-scope',
        'contacts.write',
      ],
      { env: { ...env, HOOKLINE_OAUTH_CLIENT_SECRET: 'cli-oauth-secret-2' } },
    );
    const oauthId = /^created (dst_\w+)$/m.exec(withOAuth.stdout)![1]!;
    expect((await hookline.request('GET', `/v1/destinations/${oauthId}`, { key })).body.oauth).toEqual({
      token_url: `${receiver.url}/token`,
      client_id: 'cli',
      client_secret: '••••••',
      scope: 'contacts.write',
      audience: null,
      client_auth: 'basic',
    });
  });

  it('sets and renews a client certificate from PEM files with the CLI, printing whose it is and when it expires', async () => {
    const { key } = await hookline.createWorkspace();
    const cli = async (...args: string[]) =>
      (await run(process.execPath, [CLI, ...args], { env: { ...process.env, HOOKLINE_URL: hookline.baseUrl, HOOKLINE_KEY: key } })).stdout;
    const authority = await certificateAuthority('CLI Client CA');
    const first = await issue(authority, 'cli-client', 'client');
    const renewed = await issue(authority, 'cli-client-renewed', 'client', new Date(Date.now() + 20 * 86_400_000));
    const dir = await mkdtemp(join(tmpdir(), 'hookline-cli-tls-'));
    const file = async (name: string, text: string) => {
      await writeFile(join(dir, name), text, { mode: 0o600 });
      return join(dir, name);
    };
    try {
      const created = await cli(
        'destinations',
        'create',
        '--name',
        'CLI mTLS',
        '--url',
        'https://localhost:1/mtls',
        '--client-cert',
        await file('cert.pem', first.certificate),
        '--client-key',
        await file('key.pem', first.privateKey),
      );
      const id = /^created (dst_\w+)$/m.exec(created)![1]!;
      expect(created).toMatch(/^client_certificate CN=cli-client {2}expires \S+Z$/m);
      expect(created).not.toContain(first.privateKey.split('\n')[1]);

      const updated = await cli(
        'destinations',
        'client-cert',
        id,
        '--client-cert',
        await file('new.pem', renewed.certificate),
        '--client-key',
        await file('new-key.pem', renewed.privateKey),
      );
      const expiry = new Date(Math.floor(renewed.notAfter.getTime() / 1000) * 1000).toISOString();
      expect(updated.trim()).toBe(`client_certificate CN=cli-client-renewed  expires ${expiry}`);
      expect((await cli('destinations', 'client-cert', id, '--remove')).trim()).toBe(`${id} presents no client certificate`);
      expect((await hookline.request('GET', `/v1/destinations/${id}`, { key })).body.client_tls).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong when the CLI has no key or a revoked one', async () => {
    const noKey = await run(process.execPath, [CLI, 'destinations', 'list'], { env: { ...process.env, HOOKLINE_KEY: '' } }).catch((error) => error);
    expect(noKey.code).toBe(64);
    expect(noKey.stderr).toContain('set HOOKLINE_KEY');
    const badKey = await run(process.execPath, [CLI, 'destinations', 'list'], {
      env: { ...process.env, HOOKLINE_URL: hookline.baseUrl, HOOKLINE_KEY: 'hk_nope' },
    }).catch((error) => error);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain('401 unauthorized');
  });
});
