// In a real browser: create a destination, copy its secret (shown once), send a test, and find it in the history.
import { verifyWebhook } from '@hookline/verify';
import { launchBrowser, seriousAccessibilityViolations, type ConsoleBrowser, type WatchedPage } from '../support/browser';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

jest.setTimeout(120_000);

describe('the console, for a workspace', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let browser: ConsoleBrowser;
  let watched: WatchedPage;
  let key: string;

  beforeAll(async () => {
    [hookline, receiver, browser] = await Promise.all([startHookline(), startReceiver(() => ({ status: 200, body: 'thanks' })), launchBrowser()]);
    key = (await hookline.createWorkspace('Console workspace')).key;
    watched = await browser.open();
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await hookline?.close();
  });

  it('creates a destination, shows its secret once to copy, sends a test and lists it in the history', async () => {
    const { page } = watched;
    await page.goto(`${hookline.baseUrl}/console/#key=${key}`);
    await page.getByRole('heading', { name: 'Destinations' }).waitFor();
    await page.getByText('No destinations yet').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'New destination' }).click();
    await page.getByLabel('Name', { exact: true }).fill('CRM sync');
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.url}/hooks`);
    await page.getByLabel('Event types', { exact: true }).fill('contact.*');
    await page.getByTestId('preview-body').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create destination' }).click();

    await page.getByRole('heading', { name: 'CRM sync' }).waitFor();
    await page.getByText('it is shown only once').waitFor();
    const shown = (await page.getByTestId('secret').textContent())!;
    await page.getByRole('button', { name: 'Copy signing secret' }).click();
    await page.getByRole('button', { name: 'Copied signing secret' }).waitFor();
    const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(copied).toBe(shown);
    expect(copied).toMatch(/^whsec_/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('combobox', { name: /^Event type\b/ }).selectOption('contact.created');
    await page.getByRole('button', { name: 'Send test' }).click();
    const result = page.getByTestId('test-result');
    await result.getByText('Delivered').waitFor();
    expect(await result.textContent()).toContain('status 200');
    expect(await result.locator('pre').textContent()).toBe('thanks');

    const [request] = await receiver.waitForRequests(1);
    expect(JSON.parse(request!.body)).toMatchObject({ type: 'contact.created' });
    expect(verifyWebhook({ headers: request!.headers, body: request!.body, secret: copied })).toBe(true);

    await page.getByRole('link', { name: 'Delivery history' }).click();
    const row = page.getByRole('row').filter({ hasText: 'contact.created' });
    await row.waitFor();
    expect(await row.textContent()).toContain('succeeded');
    expect(await row.textContent()).toContain('test');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Attempt 1', exact: false }).waitFor();
    expect(await page.getByTestId('response-excerpt').textContent()).toBe('thanks');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // A reload shows the destination without its secret: it was shown once.
    const listed = await hookline.request('GET', '/v1/destinations', { key });
    await page.goto(`${hookline.baseUrl}/console/#/destinations/${listed.body.data[0].id}`);
    await page.getByRole('heading', { name: 'Signing secret' }).waitFor();
    expect(await page.getByTestId('secret').count()).toBe(0);
    expect(watched.consoleErrors).toEqual([]);
    expect(watched.dialogs).toEqual([]);
  });
});
