import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { card, flow, lit, tpl } from '../support/test-engine.js';
import { ensureScreenshotDir, useDesigner } from './browser.js';

const designer = useDesigner('e2e-runs.db');
async function runToEnd(flowId: string, input: Record<string, string> = {}) {
  const { runId } = await designer.engine.handlers['runs.start']({ flowId, input });
  for (let i = 0; i < 100; i++) {
    const run = await designer.engine.handlers['runs.get']({ runId });
    if (run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('run did not finish');
}

describe('run history in a real browser', () => {
  it('lists runs with their status and shows a failed card and its error', async () => {
    await designer.engine.handlers['flows.save']({
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
    await designer.engine.handlers['flows.save']({
      flow: flow({
        id: 'joiner',
        name: 'Joiner: create accounts',
        nodes: [card('done', 'control.return', { ok: lit(true) })],
      }),
    });
    await runToEnd('joiner');
    const failed = await runToEnd('leaver', { user: 'ana@example.com' });
    expect(failed.status).toBe('failed');

    const page = await designer.browser.newPage({ viewport: { width: 1400, height: 800 } });
    await page.goto(designer.url);
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
