// `npm run screenshots`: the real stack with example data, photographed by Chromium into docs/screenshots/ for the README.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import globalSetup from '../support/global-setup';
import globalTeardown from '../support/global-teardown';
import { launchBrowser } from '../support/browser';
import { makeDestination, postEvent } from '../support/delivery-helpers';
import { eventually, startHookline } from '../support/hookline-harness';
import { startReceiver } from '../support/receiver';

const OUT = join(__dirname, '..', '..', 'docs', 'screenshots');

async function shoot(page: Page, name: string): Promise<void> {
  // The console refreshes itself; a settled network means the numbers on screen are the latest.
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
  console.log(`wrote docs/screenshots/${name}.png`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await globalSetup();
  const hookline = await startHookline({ HOOKLINE_RETRY_SCHEDULE: '100ms', HOOKLINE_RETRY_JITTER: '0' });
  const healthy = await startReceiver((_request, index) =>
    index % 7 === 6 ? { status: 500, body: 'temporary failure' } : { status: 200, body: '{"received":true}' },
  );
  const failing = await startReceiver(() => ({ status: 503, body: 'Service Unavailable' }));
  const browser = await launchBrowser();
  try {
    const { key } = await hookline.createWorkspace('Acme Marketing');
    const crm = await makeDestination(hookline, key, {
      name: 'CRM sync',
      url: `${healthy.url}/hooks/crm`,
      event_types: ['contact.*'],
      headers: { Authorization: 'Bearer crm-token-123', 'X-Source': 'hookline' },
      max_attempts: 1,
    });
    const warehouse = await makeDestination(hookline, key, {
      name: 'Analytics warehouse',
      url: `${failing.url}/ingest`,
      event_types: ['contact.created', 'contact.updated'],
      failure_threshold: 2,
      max_attempts: 1,
    });
    await makeDestination(hookline, key, { name: 'Slack alerts', url: `${healthy.url}/slack`, event_types: ['webhook.auto_disabled'], enabled: false });
    const emails = [
      'ada@example.com',
      'grace@example.com',
      'alan@example.com',
      'edsger@example.com',
      'barbara@example.com',
      'donald@example.com',
      'margaret@example.com',
    ];
    let lastEvent = '';
    for (const [index, email] of emails.entries()) {
      lastEvent = await postEvent(hookline, key, {
        type: index % 3 === 0 ? 'contact.updated' : 'contact.created',
        subject: `c_${index}`,
        data: { id: `c_${index}`, email },
      });
    }
    await eventually(async () => {
      const read = await hookline.request('GET', `/v1/destinations/${warehouse.id}`, { key });
      return read.body.status === 'auto_disabled' ? true : undefined;
    }, 'the warehouse to be auto-disabled');
    await postEvent(hookline, key, { type: 'contact.created', data: { id: 'c_held', email: 'held@example.com' } });
    const event = await hookline.request('GET', `/v1/events/${lastEvent}`, { key });
    const crmDelivery = event.body.deliveries.find((d: { destination_id: string }) => d.destination_id === crm.id);
    await eventually(async () => {
      const read = await hookline.request('GET', `/v1/deliveries/${crmDelivery.id}`, { key });
      return read.body.attempts.length > 0 ? true : undefined;
    }, 'the CRM delivery to be attempted');

    const { page } = await browser.open({ width: 1280, height: 800 });
    await page.goto(`${hookline.baseUrl}/console/#key=${key}`);
    await page.getByRole('row').filter({ hasText: 'Analytics warehouse' }).getByText('Auto-disabled').waitFor();
    await shoot(page, 'destinations');

    await page.goto(`${hookline.baseUrl}/console/#/destinations/new`);
    await page.getByLabel('Name', { exact: true }).fill('Customer.io');
    await page.getByLabel('URL', { exact: true }).fill('https://track.customer.io/api/v1/webhook/{{event.type}}');
    await page.getByLabel('Event types', { exact: true }).fill('contact.created, contact.updated');
    await page
      .getByLabel('Body template (JSON)')
      .fill('{\n  "email": "{{data.email}}",\n  "name": "{{data.first_name}} {{data.last_name}}",\n  "tags": "{{data.tags}}"\n}');
    await page.getByRole('combobox', { name: /^Example event\b/ }).selectOption('contact.created');
    await page.getByTestId('preview-body').getByText('ada.lovelace@example.com', { exact: false }).waitFor();
    await shoot(page, 'create-destination');

    await page.goto(`${hookline.baseUrl}/console/#/destinations/${warehouse.id}`);
    await page.getByRole('button', { name: 'Re-enable' }).waitFor();
    await shoot(page, 'destination');

    await page.goto(`${hookline.baseUrl}/console/#/deliveries`);
    await page.getByRole('table', { name: 'Deliveries' }).waitFor();
    await shoot(page, 'deliveries');

    await page.goto(`${hookline.baseUrl}/console/#/deliveries/${crmDelivery.id}`);
    await page.getByRole('heading', { name: /^Attempt 1/ }).waitFor();
    await shoot(page, 'delivery');

    const session = await hookline.request('POST', '/v1/portal-sessions', { key, body: { destination_ids: [crm.id, warehouse.id] } });
    const phone = await browser.open({ width: 390, height: 844 });
    await phone.page.goto(session.body.url);
    await phone.page.getByRole('link', { name: 'CRM sync' }).waitFor();
    await shoot(phone.page, 'portal-phone');
  } finally {
    await browser.close();
    await healthy.close();
    await failing.close();
    await hookline.close();
    await globalTeardown();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
