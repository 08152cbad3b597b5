// /docs in a real browser (Debian's Chromium via playwright-core): the routes, a schema and the webhooks render, from this server alone.
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApiHarness, type ApiHarness } from '../support/api-harness';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

describe('the /docs reference page', () => {
  let harness: ApiHarness;
  let browser: Browser;
  let page: Page;
  const elsewhere: string[] = [];

  beforeAll(async () => {
    harness = await startApiHarness();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Anything not served by Hookline itself (a CDN, fonts, telemetry) is recorded and refused.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(harness.baseUrl) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    await page.goto(`${harness.baseUrl}/docs`);
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  /** Opens a section from the sidebar, as a reader would. */
  async function open(section: string): Promise<void> {
    await page.getByText(section, { exact: true }).first().click();
  }

  it('renders the title, the server and the authentication panel of the document', async () => {
    await page.getByRole('heading', { name: 'Hookline API' }).first().waitFor();
    await page.getByText('http://127.0.0.1:3000').first().waitFor();
    await page.getByText('Authentication').first().waitFor();
  });

  it('shows an operation with its header parameter, its body schema and its error statuses', async () => {
    await open('Events');
    await page.getByRole('heading', { name: /Ingest an event; 202 once it is committed in PostgreSQL/ }).waitFor();
    await page.getByText('Idempotency-Key', { exact: true }).first().waitFor();
    await page.getByText('Any JSON value: an object, an array, a string, a number, a boolean or null.').first().waitFor();
    await page.getByText('Auth Required').first().waitFor();
    await page.getByText('413', { exact: true }).first().waitFor();
  });

  it('shows the outgoing webhooks and the models, a schema with its fields among them', async () => {
    await open('Webhooks');
    await page
      .getByText(/webhook\.auto_disabled/)
      .first()
      .waitFor();
    await open('Models');
    await page.getByText('WebhookEnvelope').first().waitFor();
    await page.getByText('CreateDestination').first().click();
    await page.getByText('signature_scheme').first().waitFor();
  });

  it('loaded nothing from anywhere but this server', () => {
    expect(elsewhere).toEqual([]);
  });
});
