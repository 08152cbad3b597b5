// In a real browser: event data, template output and receiver responses holding HTML and script are shown as inert text.
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { launchBrowser, type ConsoleBrowser } from '../support/browser';
import { startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

jest.setTimeout(120_000);

const IMG = `<img src=x onerror="document.title='pwned';alert('img')">`;
const SCRIPT = `<script>document.title='pwned';alert('script')</script>`;

describe('untrusted content in the console', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    [hookline, receiver, browser] = await Promise.all([
      startHookline(),
      startReceiver(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: `${SCRIPT}${IMG}` })),
      launchBrowser(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await hookline?.close();
  });

  it('renders hostile event data, template output and a script-answering receiver as text: no dialog, no script runs', async () => {
    const { key } = await hookline.createWorkspace('Hostile data');
    await hookline.request('PUT', '/v1/event-types/contact.created', { key, body: { description: 'A contact', example: { name: IMG } } });
    const destination = await makeDestination(hookline, key, {
      name: 'Receiver',
      url: `${receiver.url}/hooks`,
      event_types: ['contact.created'],
      body_template: { html: '{{data.name}}' },
    });
    const eventId = await postEvent(hookline, key, { type: 'contact.created', data: { name: IMG } });
    const delivery = await onlyDeliveryOf(hookline, key, eventId, 'succeeded');

    const { page, consoleErrors, dialogs } = await browser.open();
    await page.goto(`${hookline.baseUrl}/console/#key=${key}`);
    await page.getByRole('link', { name: 'Receiver' }).waitFor();
    await page.goto(`${hookline.baseUrl}/console/#/deliveries/${delivery.id}`);
    await page.getByTestId('event-data').waitFor();
    expect(await page.getByTestId('event-data').textContent()).toContain(IMG.replace(/"/g, '\\"'));
    expect(await page.getByTestId('response-excerpt').textContent()).toBe(`${SCRIPT}${IMG}`);

    await page.goto(`${hookline.baseUrl}/console/#/destinations/${destination.id}/edit`);
    await page.getByRole('combobox', { name: /^Example event\b/ }).selectOption('contact.created');
    await page.getByTestId('preview-body').getByText('onerror', { exact: false }).waitFor();
    expect(JSON.parse((await page.getByTestId('preview-body').textContent())!)).toEqual({ html: IMG });

    expect(dialogs).toEqual([]);
    expect(await page.title()).toBe('Hookline');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
