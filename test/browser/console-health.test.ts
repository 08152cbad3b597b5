// In a real browser: a failing receiver gets its destination auto-disabled, events are held, and re-enabling releases them.
import { makeDestination, postEvent } from '../support/delivery-helpers';
import { launchBrowser, seriousAccessibilityViolations, type ConsoleBrowser } from '../support/browser';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

jest.setTimeout(120_000);

describe('the console shows endpoint health', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let browser: ConsoleBrowser;
  let receiverDown = true;

  beforeAll(async () => {
    [hookline, receiver, browser] = await Promise.all([
      startHookline({ HOOKLINE_RETRY_SCHEDULE: '100ms', HOOKLINE_RETRY_JITTER: '0' }),
      startReceiver(() => (receiverDown ? { status: 503, body: 'down for maintenance' } : { status: 200, body: 'ok' })),
      launchBrowser(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await hookline?.close();
  });

  it('shows the Auto-disabled badge with its reason, the held deliveries, and after re-enabling the numbers move', async () => {
    const { key } = await hookline.createWorkspace('Health workspace');
    const destination = await makeDestination(hookline, key, {
      name: 'Flaky CRM',
      url: `${receiver.url}/hooks`,
      event_types: ['contact.*'],
      failure_threshold: 1,
      max_attempts: 1,
    });
    await postEvent(hookline, key, { type: 'contact.created', data: { id: 'c_1' } });
    await eventually(async () => {
      const read = await hookline.request('GET', `/v1/destinations/${destination.id}`, { key });
      return read.body.status === 'auto_disabled' ? true : undefined;
    }, 'the destination to be auto-disabled');
    await postEvent(hookline, key, { type: 'contact.created', data: { id: 'c_2' } });
    await postEvent(hookline, key, { type: 'contact.updated', data: { id: 'c_3' } });
    // Both are planned (and held) a moment after their 202: the screen is read once they are.
    await eventually(async () => {
      const health = await hookline.request('GET', `/v1/destinations/${destination.id}/health`, { key });
      return health.body.held_count === 2 ? true : undefined;
    }, 'the two later events to be held');

    const { page, consoleErrors, dialogs } = await browser.open();
    await page.goto(`${hookline.baseUrl}/console/#key=${key}`);
    const row = page.getByRole('row').filter({ hasText: 'Flaky CRM' });
    await row.getByText('Auto-disabled').waitFor();
    expect(await row.textContent()).toContain('1 consecutive failed deliveries (threshold 1)');
    expect(await row.getByRole('cell').nth(4).textContent()).toBe('3');
    expect(await row.getByRole('cell').nth(6).textContent()).toBe('0%');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await row.getByRole('link', { name: 'Flaky CRM' }).click();
    await page.getByTestId('held-count').getByText('2', { exact: true }).waitFor();
    expect(await page.getByTestId('disabled-reason').textContent()).toContain('receiver responded 503');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    receiverDown = false;
    await page.getByRole('button', { name: 'Re-enable' }).click();
    await page.getByText('Re-enabled: releasing 2 held deliveries').waitFor();
    const requests = await receiver.waitForRequests(3);
    expect(
      requests
        .slice(1)
        .map((request) => JSON.parse(request.body).data.id)
        .sort(),
    ).toEqual(['c_2', 'c_3']);

    await page.getByTestId('held-count').getByText('0', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Destinations' }).click();
    const healed = page.getByRole('row').filter({ hasText: 'Flaky CRM' });
    await healed.getByText('Active').waitFor();
    await healed.getByRole('cell').nth(6).getByText('66.7%').waitFor();
    expect(await healed.getByRole('cell').nth(4).textContent()).toBe('3');
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
