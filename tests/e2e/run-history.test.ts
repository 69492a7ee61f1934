import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type EngineApp } from '../../src/engine/app.js';
import { startApiServer, type ApiServer } from '../../src/runner/api-server.js';
import { card, flow, lit, tempDir, tpl } from '../support/test-engine.js';
import { ensureScreenshotDir, launchChromium, rendererDir } from './browser.js';

let engine: EngineApp;
let server: ApiServer;
let browser: Browser;

beforeAll(async () => {
  engine = await openEngine({ dbPath: path.join(tempDir(), 'e2e-runs.db') });
  server = await startApiServer({ engine, staticDir: rendererDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
});

async function runToEnd(flowId: string, input: Record<string, string> = {}) {
  const { runId } = await engine.handlers['runs.start']({ flowId, input });
  for (let i = 0; i < 100; i++) {
    const run = await engine.handlers['runs.get']({ runId });
    if (run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('run did not finish');
}

describe('run history in a real browser', () => {
  it('lists runs with their status and shows a failed card and its error', async () => {
    await engine.handlers['flows.save']({
      flow: flow({
        id: 'leaver',
        name: 'Leaver: disable access',
        trigger: { kind: 'manual', inputs: [{ name: 'user', type: 'text', required: true }] },
        nodes: [
          card('note', 'text.compose', { text: tpl('Disabling {{trigger.user}}') }),
          {
            ...card('stop', 'control.returnError', {
              code: lit('USER_NOT_FOUND'),
              message: lit('No account matches this user.'),
            }),
            position: { x: 320, y: 0 },
          },
        ],
      }),
    });
    await engine.handlers['flows.save']({
      flow: flow({
        id: 'joiner',
        name: 'Joiner: create accounts',
        nodes: [card('done', 'control.return', { ok: lit(true) })],
      }),
    });
    await runToEnd('joiner');
    const failed = await runToEnd('leaver', { user: 'ana@example.com' });
    expect(failed.status).toBe('failed');

    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    await page.goto(`${server.url}/#token=${server.token}`);
    await page.getByRole('menuitem', { name: 'Run history' }).click();
    await page.locator('.run').first().waitFor();
    expect(await page.locator('.run').count()).toBe(2);
    await page.locator('.run', { hasText: 'Leaver: disable access' }).click();
    const detail = page.getByRole('complementary', { name: 'Run details' });
    await detail.getByText('No account matches this user.').waitFor();
    expect(await detail.textContent()).toContain('USER_NOT_FOUND');
    await detail.getByText('note (text.compose)').click();
    await detail.getByText('Disabling ana@example.com').first().waitFor();
    await page.waitForTimeout(400); // let the panel finish opening before the screenshot
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'run-history.png'), fullPage: true });

    // Open the run on the canvas: the cards show how they ran, the inspector their data.
    await detail.getByRole('button', { name: 'Open on the canvas' }).click();
    const note = page.locator('.vue-flow__node[data-id="note"]');
    await expect.poll(() => note.locator('.card').getAttribute('class')).toContain('status-succeeded');
    await note.click();
    await page
      .getByRole('complementary', { name: 'Card inspector' })
      .locator('.step-outputs')
      .getByText('Disabling ana@example.com')
      .waitFor();
    await page.close();
  });
});
