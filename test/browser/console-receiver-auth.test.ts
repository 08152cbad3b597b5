// In a real browser: a destination signing v1a with Basic auth set through the form, its public key on the page and rotated, the password never shown.
import { launchBrowser, seriousAccessibilityViolations, type ConsoleBrowser, type WatchedPage } from '../support/browser';
import { postEvent } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { certificateAuthority, issue } from '../support/certificates';

jest.setTimeout(120_000);

const PASSWORD = 'console-basic-password-7731';

describe('the console, for receivers that authenticate', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let browser: ConsoleBrowser;
  let watched: WatchedPage;
  let key: string;

  beforeAll(async () => {
    [hookline, receiver, browser] = await Promise.all([startHookline(), startReceiver(() => ({ status: 200, body: 'ok' })), launchBrowser()]);
    key = (await hookline.createWorkspace('Auth workspace')).key;
    watched = await browser.open();
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await hookline?.close();
  });

  it('creates a v1a destination with Basic auth, shows its public key and rotates it, and keeps the password through an edit', async () => {
    const { page } = watched;
    await page.goto(`${hookline.baseUrl}/console/#key=${key}`);
    await page.getByText('No destinations yet').waitFor();

    await page.getByRole('link', { name: 'New destination' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Signed CRM');
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.url}/hooks`);
    await page.getByLabel('Event types', { exact: true }).fill('contact.*');
    await page.getByRole('combobox', { name: 'Signature scheme' }).selectOption('standard_webhooks_ed25519');
    const auth = page.getByRole('group', { name: 'Receiver authentication' });
    await auth.getByRole('combobox', { name: 'Authentication' }).selectOption('basic');
    await auth.getByLabel('Username', { exact: true }).fill('hookline');
    await auth.getByLabel('Password', { exact: true }).fill(PASSWORD);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create destination' }).click();

    await page.getByRole('heading', { name: 'Signed CRM', exact: true }).waitFor();
    const id: string = (await hookline.request('GET', '/v1/destinations', { key })).body.data[0].id;
    const created = (await hookline.request('GET', `/v1/destinations/${id}`, { key })).body;
    expect(created).toMatchObject({ signature_scheme: 'standard_webhooks_ed25519', basic_auth: { username: 'hookline', password: '••••••' } });
    const keyPanel = page.getByRole('region', { name: 'Signing key (ed25519)' });
    expect(await keyPanel.getByTestId('public-key').textContent()).toBe(created.public_key);
    expect(await page.content()).not.toContain(PASSWORD);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await keyPanel.getByRole('button', { name: 'Rotate key' }).click();
    await eventually(
      async () => ((await keyPanel.getByTestId('public-key').textContent()) !== created.public_key ? true : undefined),
      'the page to show the new public key',
    );
    const rotated = (await hookline.request('GET', `/v1/destinations/${id}`, { key })).body;
    expect(await keyPanel.getByTestId('public-key').textContent()).toBe(rotated.public_key);
    expect(rotated.previous_public_key.public_key).toBe(created.public_key);
    await keyPanel.getByText(/^The previous key whpk_.+ signs too until /).waitFor();

    // An edit that leaves the password empty keeps it: the receiver still gets the same credentials.
    await page.goto(`${hookline.baseUrl}/console/#/destinations/${id}/edit`);
    await page.getByRole('heading', { name: 'Edit Signed CRM' }).waitFor();
    const editing = page.getByRole('group', { name: 'Receiver authentication' });
    expect(await editing.getByRole('combobox', { name: 'Authentication' }).inputValue()).toBe('basic');
    expect(await editing.getByLabel('Username', { exact: true }).inputValue()).toBe('hookline');
    expect(await editing.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await editing.getByLabel('Password', { exact: true }).getAttribute('placeholder')).toBe('Unchanged');
    await page.getByLabel('Name', { exact: true }).fill('Signed CRM (edited)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Signed CRM (edited)', exact: true }).waitFor();

    await postEvent(hookline, key, { type: 'contact.created', data: { id: 'c_1' } });
    const [request] = await receiver.waitForRequests(1);
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`hookline:${PASSWORD}`).toString('base64')}`);
    expect(request!.headers['webhook-signature']!.split(' ').map((entry) => entry.slice(0, 4))).toEqual(['v1a,', 'v1a,']);
    expect(watched.consoleErrors).toEqual([]);
    expect(watched.dialogs).toEqual([]);
  });

  it('switches a destination from Basic auth to OAuth client credentials, the client secret write-only', async () => {
    const { page } = watched;
    const id: string = (await hookline.request('GET', '/v1/destinations', { key })).body.data[0].id;
    await page.goto(`${hookline.baseUrl}/console/#/destinations/${id}/edit`);
    await page.getByRole('heading', { name: /^Edit / }).waitFor();
    const auth = page.getByRole('group', { name: 'Receiver authentication' });
    await auth.getByRole('combobox', { name: 'Authentication' }).selectOption('oauth');
    await auth.getByLabel('Token URL', { exact: true }).fill(`${receiver.url}/oauth/token`);
    await auth.getByLabel('Client ID', { exact: true }).fill('console-client');
    await auth.getByLabel('Client secret', { exact: true }).fill('console-client-secret-99');
    await auth.getByLabel('Scope', { exact: true }).fill('contacts.write');
    await auth.getByRole('combobox', { name: 'Client authentication' }).selectOption('body');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Signed CRM (edited)', exact: true }).waitFor();

    const saved = (await hookline.request('GET', `/v1/destinations/${id}`, { key })).body;
    expect(saved.basic_auth).toBeNull();
    expect(saved.oauth).toEqual({
      token_url: `${receiver.url}/oauth/token`,
      client_id: 'console-client',
      client_secret: '••••••',
      scope: 'contacts.write',
      audience: null,
      client_auth: 'body',
    });
    await page.goto(`${hookline.baseUrl}/console/#/destinations/${id}/edit`);
    await page.getByRole('heading', { name: /^Edit / }).waitFor();
    expect(await auth.getByLabel('Client secret', { exact: true }).getAttribute('placeholder')).toBe('Unchanged');
    expect(await page.content()).not.toContain('console-client-secret-99');
  });

  it('presents a client certificate pasted into the form, shows whose it is and that it expires soon, and never shows its key', async () => {
    const serverCa = await certificateAuthority('Console Server CA');
    const clientCa = await certificateAuthority('Console Client CA');
    const server = await issue(serverCa, 'localhost', 'server');
    const client = await issue(clientCa, 'console-client', 'client', new Date(Date.now() + 5 * 86_400_000 + 3_600_000));
    const tlsReceiver = await startReceiver(() => ({ status: 200 }), {
      tls: { key: server.privateKey, cert: server.certificate, ca: clientCa.certificate, requestCert: true, rejectUnauthorized: true },
    });
    const keyLine = client.privateKey.split('\n')[1]!;
    try {
      const { key: workspaceKey } = await hookline.createWorkspace('mTLS workspace');
      const { page } = await browser.open({ width: 390, height: 844 });
      await page.goto(`${hookline.baseUrl}/console/#key=${workspaceKey}`);
      await page.getByText('No destinations yet').waitFor();
      await page.getByRole('link', { name: 'New destination' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Mutual TLS CRM');
      await page.getByLabel('URL', { exact: true }).fill(`${tlsReceiver.url}/in`);
      await page.getByLabel('Event types', { exact: true }).fill('contact.*');
      const tls = page.getByRole('group', { name: 'Client certificate (mutual TLS)' });
      await tls.getByLabel('Present a client certificate to the receiver').check();
      await tls.getByLabel('Certificate (PEM)').fill(client.certificate);
      await tls.getByLabel('Private key (PEM, unencrypted)').fill(client.privateKey);
      await tls.getByLabel('CA bundle for the receiver (PEM)').fill(serverCa.certificate);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(390);
      await page.getByRole('button', { name: 'Create destination' }).click();

      await page.getByRole('heading', { name: 'Mutual TLS CRM', exact: true }).waitFor();
      const fact = page.getByTestId('client-certificate');
      expect(await fact.textContent()).toMatch(/^CN=console-client expires .+ \(in 5 days\)$/);
      // Within 14 days of expiry the date is flagged in the warning colours, as the metric's alert would fire.
      const badgeColour = "getComputedStyle(document.querySelector('[data-testid=client-certificate] .badge-expiring')).backgroundColor";
      expect(await page.evaluate(badgeColour)).toBe('rgb(255, 243, 214)');
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(390);

      await postEvent(hookline, workspaceKey, { type: 'contact.created', data: { id: 'c_tls' } });
      const [request] = await tlsReceiver.waitForRequests(1);
      expect(request!.clientCertificate).toBe('console-client');

      const id: string = (await hookline.request('GET', '/v1/destinations', { key: workspaceKey })).body.data[0].id;
      await page.goto(`${hookline.baseUrl}/console/#/destinations/${id}/edit`);
      await page.getByRole('heading', { name: 'Edit Mutual TLS CRM' }).waitFor();
      expect(await tls.getByLabel('Private key (PEM, unencrypted)').inputValue()).toBe('');
      expect(await tls.getByLabel('Private key (PEM, unencrypted)').getAttribute('placeholder')).toBe('Unchanged');
      expect(await tls.getByLabel('Certificate (PEM)').inputValue()).toBe(client.certificate);
      expect(await page.content()).not.toContain(keyLine);
    } finally {
      await tlsReceiver.close();
    }
  });
});
