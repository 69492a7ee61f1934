import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { card, flow, lit } from '../support/test-engine.js';
import { ensureScreenshotDir, useDesigner } from './browser.js';

const designer = useDesigner('e2e.db');
describe('the designer in a real browser', () => {
  it('shows the saved flows, loaded through the HTTP API with the token from the URL', async () => {
    await designer.engine.handlers['flows.save']({
      flow: flow({
        id: 'joiner',
        name: 'Joiner: create accounts',
        folder: 'HR',
        nodes: [card('ret', 'control.return', { ok: lit(true) })],
      }),
    });
    const page = await designer.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(designer.url);
    await page.getByText('Joiner: create accounts').waitFor();
    expect(await page.locator('.flow .meta').first().textContent()).toContain('HR');
    // The token leaves the address bar once read.
    expect(page.url()).not.toContain(designer.server.token);
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'flows-page.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a clear error when the token is wrong', async () => {
    const page = await designer.browser.newPage();
    await page.goto(`${designer.server.url}/#token=wrong`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('access token');
    await page.close();
  });
});
