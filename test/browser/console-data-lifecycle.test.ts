// In a real browser: the workspace's retention set in days, a subject erased through the form with its job listed, and a delivery that says its data is gone.
import { launchBrowser, seriousAccessibilityViolations, type ConsoleBrowser } from '../support/browser';
import { eventWhen, makeDestination, postEvent } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';
import { triggerPurge } from '../../src/orchestration/purge-schedule';

jest.setTimeout(120_000);

describe('the console, for data and privacy', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    [hookline, receiver, browser] = await Promise.all([startHookline(), startReceiver(() => ({ status: 200, body: 'ok' })), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await hookline?.close();
  });

  it('sets retention in days, erases a subject behind an explicit confirmation, and lists the job, on a 390 px phone', async () => {
    const { key } = await hookline.createWorkspace('Privacy workspace');
    await makeDestination(hookline, key, { url: `${receiver.url}/crm`, event_types: ['*'] });
    const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { email: 'gone@example.com' }, subject: 'contact_gone' });
    const event = await eventWhen(hookline, key, eventId, (e) => e.deliveries[0]?.status === 'succeeded', 'the delivery');
    const watched = await browser.open({ width: 390, height: 844 });
    const { page } = watched;

    await page.goto(`${hookline.baseUrl}/console/#key=${key}`);
    await page.getByRole('link', { name: 'Data and privacy' }).click();
    await page.getByRole('heading', { name: 'Data and privacy' }).waitFor();
    expect(await page.getByLabel('Keep event data (days)').inputValue()).toBe('30');
    expect(await page.getByLabel('Keep records (days)').inputValue()).toBe('90');
    await page.getByLabel('Keep event data (days)').fill('7');
    await page.getByLabel('Keep records (days)').fill('60');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('Saved: the next purge run').waitFor();
    expect((await hookline.request('GET', '/v1/retention', { key })).body).toEqual({ payload_retention_seconds: 604_800, record_retention_seconds: 5_184_000 });

    const erase = page.getByRole('button', { name: 'Erase' });
    await page.getByLabel('Subject', { exact: true }).fill('contact_gone');
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel('I understand this cannot be undone').check();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(390);
    await erase.click();
    expect(await page.getByTestId('erasure-started').textContent()).toMatch(/: 1 events and 0 unsent deliveries erased/);
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return (await page.getByTestId('erasure-row').first().textContent())?.includes('completed') ? true : undefined;
      },
      'the erasure to show as completed',
      60_000,
    );
    expect(await page.getByTestId('erasure-row').first().textContent()).toMatch(/api_key:/);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(390);

    await page.goto(`${hookline.baseUrl}/console/#/deliveries/${event.deliveries[0].id}`);
    await page.getByTestId('payload-state').waitFor();
    expect(await page.getByTestId('payload-state').textContent()).toMatch(/erased at its subject's request/);
    expect(await page.content()).not.toContain('gone@example.com');
    expect(watched.consoleErrors).toEqual([]);
    expect(watched.dialogs).toEqual([]);
  });

  it('shows a delivery past its payload window without the data or the bodies, and says why', async () => {
    const { key } = await hookline.createWorkspace('Expiring workspace');
    await hookline.request('PATCH', '/v1/retention', { key, body: { payload_retention_seconds: 1, record_retention_seconds: 3_600 } });
    await makeDestination(hookline, key, { url: `${receiver.url}/crm`, event_types: ['*'] });
    const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { email: 'expiring@example.com' } });
    const event = await eventWhen(hookline, key, eventId, (e) => e.deliveries[0]?.status === 'succeeded', 'the delivery');
    await eventually(
      async () => {
        await triggerPurge(hookline.temporal, hookline.config);
        return (await hookline.request('GET', `/v1/events/${eventId}`, { key })).body.payload === 'expired' ? true : undefined;
      },
      'the payload to expire',
      60_000,
    );
    const { page } = await browser.open();
    await page.goto(`${hookline.baseUrl}/console/#key=${key}`);
    await page.getByRole('link', { name: 'Data and privacy' }).waitFor();
    await page.goto(`${hookline.baseUrl}/console/#/deliveries/${event.deliveries[0].id}`);
    await page.getByTestId('payload-state').waitFor();
    expect(await page.getByTestId('payload-state').textContent()).toMatch(/removed after the workspace's retention window/);
    expect(await page.content()).not.toContain('expiring@example.com');
  });
});
