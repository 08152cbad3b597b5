// In a real browser: every screen passes axe-core, works from the keyboard with a visible focus, and fits a 390 px phone.
import type { Page } from 'playwright-core';
import { makeDestination } from '../support/delivery-helpers';
import { launchBrowser, seriousAccessibilityViolations, type ConsoleBrowser } from '../support/browser';
import { startApiHarness, type ApiHarness } from '../support/api-harness';

jest.setTimeout(120_000);

/** The focused element's accessible text and whether a focus ring is drawn around it. */
async function focused(page: Page): Promise<{ text: string; outlined: boolean }> {
  return (await page.evaluate(`(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { text: (el.getAttribute('aria-label') || el.textContent || '').trim(), outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
  })()`)) as { text: string; outlined: boolean };
}

describe('console accessibility', () => {
  let api: ApiHarness;
  let browser: ConsoleBrowser;
  let key: string;
  let destination: string;

  beforeAll(async () => {
    [api, browser] = await Promise.all([startApiHarness(), launchBrowser()]);
    key = (await api.createWorkspace('Accessible')).key;
    destination = (
      await makeDestination(api, key, { name: 'CRM sync', url: 'http://127.0.0.1:9/hooks', event_types: ['contact.*'], headers: { 'X-Source': 'hookline' } })
    ).id;
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('finds no serious axe-core violation on the sign-in, catalog, edit, portal-sessions and history screens', async () => {
    const { page, consoleErrors } = await browser.open();
    await page.goto(`${api.baseUrl}/console`);
    await page.getByRole('heading', { name: 'Sign in to Hookline' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.goto(`${api.baseUrl}/console/#key=${key}`);
    // Signed in and on the first screen before moving on: the sign-in rewrites the hash, and on a slow load it did so
    // after the next navigation, leaving the console on the destinations list.
    await page.getByRole('link', { name: 'CRM sync' }).waitFor();
    for (const [hash, ready] of [
      ['#/event-types', 'Event catalog'],
      [`#/destinations/${destination}/edit`, 'Edit CRM sync'],
      ['#/portal-sessions', 'Customer portal'],
      ['#/deliveries', 'Delivery history'],
    ] as const) {
      await page.goto(`${api.baseUrl}/console/${hash}`);
      await page.getByRole('heading', { name: ready, exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      expect({ hash, violations: await seriousAccessibilityViolations(page) }).toEqual({ hash, violations: [] });
    }
    expect(consoleErrors).toEqual([]);
  });

  it('is usable from the keyboard: skip link first, every stop with a visible focus ring, Enter follows a link', async () => {
    const { page } = await browser.open();
    await page.goto(`${api.baseUrl}/console/#key=${key}`);
    await page.getByRole('link', { name: 'CRM sync' }).waitFor();
    const stops: { text: string; outlined: boolean }[] = [];
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      stops.push(await focused(page));
    }
    expect(stops[0]!.text).toBe('Skip to content');
    expect(stops.map((stop) => stop.text)).toEqual(expect.arrayContaining(['Destinations', 'Deliveries', 'Event catalog', 'New destination', 'CRM sync']));
    expect(stops.filter((stop) => !stop.outlined)).toEqual([]);

    while ((await focused(page)).text !== 'New destination') await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'New destination' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('Typed by keyboard');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Typed by keyboard');
  });

  it('fits a 390 px phone without sideways scrolling', async () => {
    const { page } = await browser.open({ width: 390, height: 844 });
    await page.goto(`${api.baseUrl}/console/#key=${key}`);
    for (const hash of ['#/destinations', `#/destinations/${destination}`, `#/destinations/${destination}/edit`, '#/deliveries']) {
      await page.goto(`${api.baseUrl}/console/${hash}`);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      expect({ hash, width: await page.evaluate('document.documentElement.scrollWidth') }).toEqual({ hash, width: 390 });
    }
  });
});
