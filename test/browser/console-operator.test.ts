// In a real browser: the operator creates a workspace and issues its key (shown once), sees events waiting in the outbox; the workspace signs in with its key.
import { launchBrowser, seriousAccessibilityViolations, type ConsoleBrowser } from '../support/browser';
import { startApiHarness, type ApiHarness } from '../support/api-harness';

jest.setTimeout(120_000);

describe('the console, for an operator', () => {
  let api: ApiHarness;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    [api, browser] = await Promise.all([startApiHarness(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('creates a workspace, issues a key shown once, revokes another, sees the events waiting for a worker, and the workspace signs in with its key', async () => {
    // More workspaces than one page of the list holds: the new one comes last, and must still show.
    for (let n = 0; n < 101; n++) {
      expect((await api.request('POST', '/v1/workspaces', { admin: true, body: { name: `Tenant ${n}` } })).status).toBe(201);
    }
    const { page, consoleErrors } = await browser.open();
    await page.goto(`${api.baseUrl}/console`);
    await page.getByLabel('API key or operator token').fill(api.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();

    await page.getByLabel('Workspace name').fill('Initech');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('cell', { name: 'Initech', exact: true }).waitFor();
    await page.getByLabel('Key name (optional)').fill('production');
    await page.getByRole('button', { name: 'Issue key' }).click();
    const key = (await page.getByTestId('issued-key').textContent())!;
    expect(key).toMatch(/^hk_/);
    await page.getByText('production').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Key name (optional)').fill('old laptop');
    await page.getByRole('button', { name: 'Issue key' }).click();
    // The list shows the new key's name once the answer is in, and the notice shows that new key by then.
    await page.getByRole('listitem').filter({ hasText: 'old laptop' }).waitFor();
    const oldKey = (await page.getByTestId('issued-key').textContent())!;
    expect(oldKey).not.toBe(key);
    await page
      .getByRole('listitem')
      .filter({ hasText: 'old laptop' })
      .getByRole('button', { name: /^Revoke/ })
      .click();
    await page.getByRole('listitem').filter({ hasText: 'old laptop' }).getByText('revoked', { exact: false }).waitFor();
    expect((await api.request('GET', '/v1/destinations', { key: oldKey })).status).toBe(401);

    // This API runs without a worker: what it accepts waits in the outbox, and the operator sees it there.
    for (let n = 0; n < 2; n++) expect((await api.request('POST', '/v1/events', { key, body: { type: 'contact.created', data: { n } } })).status).toBe(202);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText(/2 accepted events wait for their workflows to start, the oldest for \d+ s/).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key or operator token').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No destinations yet').waitFor();
    expect(consoleErrors).toEqual([]);
  });
});
