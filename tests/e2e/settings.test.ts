import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type EngineApp } from '../../src/engine/app.js';
import { startApiServer, type ApiServer } from '../../src/runner/api-server.js';
import { tempDir } from '../support/test-engine.js';
import { ensureScreenshotDir, launchChromium, rendererDir } from './browser.js';

let engine: EngineApp;
let server: ApiServer;
let browser: Browser;
const dbPath = path.join(tempDir(), 'e2e-settings.db');

beforeAll(async () => {
  engine = await openEngine({ dbPath });
  server = await startApiServer({ engine, staticDir: rendererDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
});

describe('settings in a real browser', () => {
  it('shows the database location and switches to the dark theme, which is kept', async () => {
    const page = await browser.newPage({ colorScheme: 'light' });
    await page.goto(`${server.url}/#token=${server.token}`);
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByText(dbPath).waitFor();
    const background = () =>
      page
        .locator('.shell-layout')
        .evaluate((element) => element.ownerDocument.defaultView!.getComputedStyle(element).backgroundColor);
    const light = await background();
    await page.getByText('Dark', { exact: true }).click();
    await expect.poll(background).not.toBe(light);
    expect((await engine.handlers['settings.get']({})).theme).toBe('dark');
    await page.waitForTimeout(600); // theme colours animate
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'settings-dark.png') });
    await page.close();
  });
});
