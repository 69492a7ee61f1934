import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureScreenshotDir, useDesigner } from './browser.js';

const designer = useDesigner('e2e-settings.db');
describe('settings in a real browser', () => {
  it('shows the database location and switches to the dark theme, which is kept', async () => {
    const page = await designer.browser.newPage({ colorScheme: 'light' });
    await page.goto(designer.url);
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByText(designer.dbPath).waitFor();
    const background = () =>
      page
        .locator('.shell-layout')
        .evaluate((element) => element.ownerDocument.defaultView!.getComputedStyle(element).backgroundColor);
    const light = await background();
    await page.getByText('Dark', { exact: true }).click();
    await expect.poll(background).not.toBe(light);
    expect((await designer.engine.handlers['settings.get']({})).theme).toBe('dark');
    await page.waitForTimeout(600); // theme colours animate
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'settings-dark.png') });
    await page.close();
  });
});
