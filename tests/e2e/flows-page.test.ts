import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type EngineApp } from '../../src/engine/app.js';
import { startApiServer, type ApiServer } from '../../src/runner/api-server.js';
import { card, flow, lit, tempDir } from '../support/test-engine.js';
import { ensureScreenshotDir, launchChromium, rendererDir } from './browser.js';

let engine: EngineApp;
let server: ApiServer;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error('Build the renderer first: npm run build');
  engine = await openEngine({ dbPath: path.join(tempDir(), 'e2e.db') });
  server = await startApiServer({ engine, staticDir: rendererDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
});

describe('the designer in a real browser', () => {
  it('shows the saved flows, loaded through the HTTP API with the token from the URL', async () => {
    await engine.handlers['flows.save']({
      flow: flow({
        id: 'joiner',
        name: 'Joiner: create accounts',
        folder: 'HR',
        nodes: [card('ret', 'control.return', { ok: lit(true) })],
      }),
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${server.url}/#token=${server.token}`);
    await page.getByText('Joiner: create accounts').waitFor();
    expect(await page.locator('.flow .meta').first().textContent()).toContain('HR');
    // The token leaves the address bar once read.
    expect(page.url()).not.toContain(server.token);
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'flows-page.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a clear error when the token is wrong', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/#token=wrong`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('access token');
    await page.close();
  });
});
