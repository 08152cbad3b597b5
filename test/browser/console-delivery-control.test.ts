// In a real browser: a destination's rate limit and concurrency cap set through the form, shown on its page, and a receiver's 429 shown as a throttle with its queue.
import { launchBrowser, seriousAccessibilityViolations, type ConsoleBrowser, type WatchedPage } from '../support/browser';
import { postEvent } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

jest.setTimeout(120_000);

describe('the console, for delivery control', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let browser: ConsoleBrowser;
  let watched: WatchedPage;
  let key: string;

  beforeAll(async () => {
    // The first request is refused for 30 s: long enough for the page to show the throttle and what waits behind it.
    [hookline, receiver, browser] = await Promise.all([
      startHookline({ HOOKLINE_RETRY_JITTER: '0' }),
      startReceiver((_, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '30' }, body: 'slow down' } : { status: 200, body: 'ok' })),
      launchBrowser(),
    ]);
    key = (await hookline.createWorkspace('Control workspace')).key;
    watched = await browser.open();
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await hookline?.close();
  });

  it('sets a rate limit and a cap in the form, shows them, shows the throttle after a 429 and what is queued behind it, and clears them', async () => {
    const { page } = watched;
    await page.goto(`${hookline.baseUrl}/console/#key=${key}`);
    await page.getByText('No destinations yet').waitFor();

    await page.getByRole('link', { name: 'New destination' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Rate-limited CRM');
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.url}/hooks`);
    await page.getByLabel('Event types', { exact: true }).fill('contact.*');
    const control = page.getByRole('group', { name: 'Delivery control' });
    await control.getByLabel('Limit the request rate').check();
    await control.getByLabel('Requests', { exact: true }).fill('10');
    await control.getByLabel('Per seconds', { exact: true }).fill('1');
    await control.getByLabel('Burst', { exact: true }).fill('2');
    await control.getByLabel('Max concurrent requests', { exact: true }).fill('4');
    await control.getByRole('combobox', { name: /^Delivery order/ }).selectOption('subject');
    await control.getByLabel('Coalesce window (seconds)', { exact: true }).fill('5');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // A cap of 0 is refused by the API, and the form says which field and why: nothing is created.
    const cap = control.getByLabel('Max concurrent requests', { exact: true });
    await cap.fill('0');
    await page.getByRole('button', { name: 'Create destination' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.getByRole('listitem').filter({ hasText: 'max_concurrent_requests' }).count()).toBe(1);
    expect((await hookline.request('GET', '/v1/destinations', { key })).body.data).toEqual([]);
    await control.getByLabel('Max concurrent requests', { exact: true }).fill('4');
    await page.getByRole('button', { name: 'Create destination' }).click();

    await page.getByRole('heading', { name: 'Rate-limited CRM', exact: true }).waitFor();
    const listed = await hookline.request('GET', '/v1/destinations', { key });
    expect(listed.body.data).toHaveLength(1);
    const id: string = listed.body.data[0].id;
    expect((await hookline.request('GET', `/v1/destinations/${id}`, { key })).body).toMatchObject({
      rate_limit: { requests: 10, per_seconds: 1, burst: 2 },
      max_concurrent_requests: 4,
      ordering: 'subject',
      coalesce_seconds: 5,
      throttle: null,
    });

    const panel = page.getByRole('region', { name: 'Delivery control' });
    expect(await panel.getByTestId('rate-limit').textContent()).toBe('10 requests / 1 s, burst 2');
    expect(await panel.getByTestId('concurrency').textContent()).toBe('at most 4 open requests');
    expect(await panel.getByTestId('ordering').textContent()).toBe('per subject, in the order accepted');
    expect(await panel.getByTestId('coalescing').textContent()).toBe('newest of each subject per 5 s');
    expect(await panel.getByTestId('queued-count').textContent()).toBe('0');
    expect(await panel.getByTestId('open-requests').textContent()).toBe('0 of 4');
    expect(await page.getByText('Throttled until').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The receiver answers the first delivery 429 with Retry-After: 30; the page, refreshing itself, says so.
    await postEvent(hookline, key, { type: 'contact.created', data: { id: 'c_refused' } });
    await receiver.waitForRequests(1);
    const notice = page.getByTestId('throttle');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/^Throttled until .+: HTTP 429 with Retry-After: every delivery waits 30 s$/);

    // A delivery made meanwhile waits its turn behind the push-back: counted on the page, with its reason in the history.
    await postEvent(hookline, key, { type: 'contact.updated', data: { id: 'c_waiting' } });
    await eventually(async () => ((await panel.getByTestId('queued-count').textContent()) !== '0' ? true : undefined), 'the page to count a queued delivery');
    expect(await panel.getByTestId('oldest-queued').textContent()).toMatch(/^waiting \d+ s$/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await panel.getByRole('link', { name: 'Queued deliveries' }).click();
    const row = page.getByRole('row').filter({ hasText: 'contact.updated' });
    await row.waitFor();
    expect(await row.getByRole('cell').nth(3).textContent()).toMatch(/^queued throttled by the receiver, turn at \d{1,2}:\d{2}:\d{2}/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Delivery contact.updated' }).waitFor();
    expect(await page.getByTestId('queued-note').textContent()).toMatch(/^throttled by the receiver, turn at /);
    // Nothing reached the receiver while it asked for quiet.
    expect(receiver.requests).toHaveLength(1);

    // Editing clears both: switched off and emptied, they are sent as null.
    await page.goto(`${hookline.baseUrl}/console/#/destinations/${id}/edit`);
    await page.getByRole('heading', { name: 'Edit Rate-limited CRM' }).waitFor();
    const editing = page.getByRole('group', { name: 'Delivery control' });
    expect(await editing.getByLabel('Limit the request rate').isChecked()).toBe(true);
    expect(await editing.getByLabel('Burst', { exact: true }).inputValue()).toBe('2');
    expect(await editing.getByLabel('Max concurrent requests', { exact: true }).inputValue()).toBe('4');
    expect(await editing.getByRole('combobox', { name: /^Delivery order/ }).inputValue()).toBe('subject');
    await editing.getByLabel('Limit the request rate').uncheck();
    await editing.getByRole('combobox', { name: /^Delivery order/ }).selectOption('none');
    await editing.getByLabel('Max concurrent requests', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await page.getByRole('heading', { name: 'Rate-limited CRM', exact: true }).waitFor();
    expect((await hookline.request('GET', `/v1/destinations/${id}`, { key })).body).toMatchObject({
      rate_limit: null,
      max_concurrent_requests: null,
      ordering: 'none',
      coalesce_seconds: null,
    });
    await panel.getByTestId('rate-limit').getByText('No limit', { exact: true }).waitFor();
    expect(await panel.getByTestId('concurrency').textContent()).toBe('No limit');
    expect(await panel.getByTestId('ordering').textContent()).toBe('none');
    expect(await panel.getByTestId('coalescing').count()).toBe(0);
    // The one error the browser logged is the refused create above, nothing else.
    expect(watched.consoleErrors).toEqual([expect.stringMatching(/400 \(Bad Request\)/)]);
    expect(watched.dialogs).toEqual([]);
  });
});
