import { afterAll, beforeAll, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { startServer, type TestServer } from './server.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with no background traffic (this machine has no internet). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Wait until the app marked itself mounted and connected, so no click is lost before hydration. */
export async function ready(page: Page): Promise<void> {
  await page.locator('[data-ready="true"]').first().waitFor({ state: 'attached', timeout: 15_000 });
}

/** Create a session from the landing page, as a facilitator would; resolves with its room code. */
export async function createSessionInBrowser(page: Page, url: string, title: string, method?: RegExp): Promise<string> {
  await page.goto(`${url}/?lang=en`);
  await ready(page);
  if (method) await page.getByRole('radio', { name: method }).check();
  await page.getByLabel('Session title').fill(title);
  await page.getByRole('button', { name: 'Create session' }).click();
  await page.waitForURL(/\/s\/[A-Z0-9]{6}\/facilitate/);
  await ready(page);
  return /\/s\/([A-Z0-9]{6})\//.exec(page.url())![1]!;
}

export interface BrowserRig {
  /** The real server, started before the suite. */
  readonly server: TestServer;
  /** A page in a fresh browser context (its own storage: another person at another laptop). */
  page(): Promise<Page>;
}

/**
 * A suite's server and browser, started before its tests and closed after them,
 * with every context it opened. Contexts default to an English-speaking British locale.
 */
export function useBrowserRig(contextOptions: BrowserContextOptions = {}): BrowserRig {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.kill('SIGTERM');
  });
  return {
    get server() {
      if (!server) throw new Error('the server starts in beforeAll');
      return server;
    },
    async page() {
      const context = await browser!.newContext({ locale: 'en-GB', ...contextOptions });
      contexts.push(context);
      return context.newPage();
    },
  };
}

/** A teacher at their own laptop (a fresh context) joining room `code` in English; resolves once their name shows. */
export async function joinInBrowser(rig: BrowserRig, code: string, name: string): Promise<Page> {
  const page = await rig.page();
  await page.goto(`${rig.server.url}/join/${code}?lang=en`);
  await ready(page);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect.poll(() => page.getByText(name).first().isVisible()).toBe(true);
  return page;
}
