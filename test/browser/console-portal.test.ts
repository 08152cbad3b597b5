// In a real browser: a portal session sees only its scope, and is refused once revoked or expired.
import { makeDestination } from '../support/delivery-helpers';
import { launchBrowser, seriousAccessibilityViolations, type ConsoleBrowser } from '../support/browser';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';

jest.setTimeout(120_000);

describe('the customer portal', () => {
  let hookline: HooklineHarness;
  let browser: ConsoleBrowser;
  let key: string;
  let ours: string;
  let theirs: string;

  beforeAll(async () => {
    [hookline, browser] = await Promise.all([startHookline(), launchBrowser()]);
    key = (await hookline.createWorkspace('Platform')).key;
    ours = (await makeDestination(hookline, key, { name: 'Acme CRM', url: 'http://127.0.0.1:9/acme', event_types: ['contact.*'] })).id;
    theirs = (await makeDestination(hookline, key, { name: 'Globex ERP', url: 'http://127.0.0.1:9/globex', event_types: ['contact.*'] })).id;
  });

  afterAll(async () => {
    await browser?.close();
    await hookline?.close();
  });

  const openSession = async (body: Record<string, unknown>) => {
    const response = await hookline.request('POST', '/v1/portal-sessions', { key, body });
    expect(response.status).toBe(201);
    return response.body as { id: string; url: string };
  };

  it('scoped to one destination, shows that one only and cannot open another', async () => {
    const session = await openSession({ destination_ids: [ours], expires_in_seconds: 600 });
    const { page } = await browser.open({ width: 390, height: 844 });
    await page.goto(session.url);
    await page.getByRole('link', { name: 'Acme CRM' }).waitFor();
    expect(await page.getByText('Globex ERP').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'New destination' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Customer portal' }).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Acme CRM' }).click();
    await page.getByRole('button', { name: 'Send test' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.goto(`${session.url}#/destinations/${theirs}`);
    await page.getByText('Destination not found').waitFor();
    expect(await page.getByText('Globex ERP').count()).toBe(0);
  });

  it('is opened from the console: the workspace scopes it, copies its URL, and the URL opens that scope', async () => {
    const { page } = await browser.open();
    await page.goto(`${hookline.baseUrl}/console/#key=${key}`);
    await page.getByRole('link', { name: 'Customer portal' }).click();
    await page.getByRole('checkbox', { name: 'Acme CRM' }).check();
    await page.getByLabel('Expires after (minutes)').fill('30');
    await page.getByRole('button', { name: 'Open session' }).click();
    await page.getByRole('button', { name: 'Copy portal URL' }).click();
    const url = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(url).toMatch(new RegExp(`^${hookline.baseUrl}/console/portal\\?token=`));
    await page
      .getByRole('button', { name: /^Revoke ps_/ })
      .first()
      .waitFor();

    const customer = await browser.open();
    await customer.page.goto(url);
    await customer.page.getByRole('link', { name: 'Acme CRM' }).waitFor();
    expect(await customer.page.getByText('Globex ERP').count()).toBe(0);
  });

  it('read-only, shows no buttons that change anything', async () => {
    const session = await openSession({ destination_ids: [ours], read_only: true });
    const { page } = await browser.open();
    await page.goto(`${session.url}#/destinations/${ours}`);
    await page.getByRole('heading', { name: 'Health' }).waitFor();
    expect(await page.getByRole('button', { name: 'Send test' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Rotate secret' }).count()).toBe(0);
  });

  it('is refused on its next request once revoked', async () => {
    const session = await openSession({ destination_ids: [ours] });
    const { page } = await browser.open();
    await page.goto(session.url);
    await page.getByRole('link', { name: 'Acme CRM' }).waitFor();
    expect((await hookline.request('DELETE', `/v1/portal-sessions/${session.id}`, { key })).status).toBe(204);
    await page.reload();
    await page.getByRole('heading', { name: 'This portal link no longer works' }).waitFor();
    expect(await page.getByTestId('refusal').textContent()).toContain('Portal session revoked');
    expect(await page.getByText('Acme CRM').count()).toBe(0);
  });

  it('is refused once expired', async () => {
    const session = await openSession({ destination_ids: [ours], expires_in_seconds: 1 });
    const token = new URL(session.url).searchParams.get('token')!;
    // Its one second passes: wait until the API refuses the token, then see what the customer sees.
    await eventually(async () => {
      const answer = await hookline.request('GET', '/v1/destinations', { key: token });
      return answer.status === 401 ? true : undefined;
    }, 'the session to expire');
    const { page } = await browser.open();
    await page.goto(session.url);
    await page.getByRole('heading', { name: 'This portal link no longer works' }).waitFor();
    expect(await page.getByTestId('refusal').textContent()).toContain('Portal session expired');
    expect(await page.getByText('Acme CRM').count()).toBe(0);
  });
});
