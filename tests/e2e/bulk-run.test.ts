import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { card, flow, lit, tpl } from '../support/test-engine.js';
import { ensureScreenshotDir, useDesigner } from './browser.js';

const designer = useDesigner('e2e-bulk.db');
let page: Page;

/** Windows-1252, as Excel saves "CSV" on a Western Windows machine: one byte per Latin-1 character. */
const cp1252 = (text: string) => Buffer.from([...text].map((c) => c.charCodeAt(0)));

beforeAll(async () => {
  await designer.engine.handlers['flows.save']({
    flow: flow({
      id: 'greet',
      name: 'Welcome message',
      trigger: {
        kind: 'manual',
        inputs: [
          { name: 'first', type: 'text', required: true },
          { name: 'last', type: 'text', required: true },
        ],
      },
      nodes: [
        {
          ...card('name', 'text.compose', { text: tpl('Welcome, {{trigger.first}} {{trigger.last}}!') }),
          position: { x: 260, y: 0 },
        },
        {
          ...card('done', 'control.return', { message: { kind: 'ref', node: 'name', path: ['text'] } }),
          position: { x: 560, y: 0 },
        },
      ],
    }),
  });
  await designer.engine.handlers['flows.save']({
    flow: flow({
      id: 'slow',
      name: 'Slow provisioning',
      trigger: { kind: 'manual', inputs: [{ name: 'n', type: 'number', required: true }] },
      nodes: [
        { ...card('wait', 'control.waitFor', { amount: lit(0.05), unit: lit('seconds') }), position: { x: 260, y: 0 } },
        {
          ...card('done', 'control.return', { n: { kind: 'ref', node: 'trigger', path: ['n'] } }),
          position: { x: 560, y: 0 },
        },
      ],
    }),
  });
  page = await designer.browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
});

async function openBulk(flowName: string, csv: Buffer): Promise<void> {
  await page.goto(designer.url);
  await page.reload();
  await page.getByText(flowName, { exact: true }).click();
  await page.locator('.flow-canvas').waitFor();
  await page.getByRole('button', { name: 'Bulk run…' }).click();
  await page
    .getByLabel('CSV file with one row per run')
    .setInputFiles({ name: 'hires.csv', mimeType: 'text/csv', buffer: csv });
}

describe('bulk runs in a real browser', () => {
  it('runs a Windows-1252 CSV once per row and lists every row, the bad one with its error', async () => {
    await openBulk('Welcome message', cp1252('first;last\r\nJosé;Müller\r\n;Empty\r\nZoë;Ørsted\r\n'));
    await page.getByText('3 rows · windows-1252 · ;-separated').waitFor();
    await page.getByRole('button', { name: 'Start' }).click();
    const status = page.getByRole('status').filter({ hasText: 'rows' });
    await expect.poll(() => status.textContent()).toContain('2 ok · 1 failed');
    const table = page.locator('.results');
    expect(await table.textContent()).toContain('Welcome, José Müller!');
    expect(await table.textContent()).toContain('RUN_INPUT');
    // The bar grows with a transition: the screenshot waits until it is full.
    const filled = () =>
      page
        .locator('.progress .n-progress-graph-line-fill')
        .evaluate((fill) => fill.getBoundingClientRect().width / fill.parentElement!.getBoundingClientRect().width);
    await expect.poll(filled).toBeGreaterThan(0.99);
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'bulk-run.png') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download results CSV' }).click(),
    ]);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('row,status,error,first,last,message');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('1,ok,,José,Müller,"Welcome, José Müller!"');
    expect(lines[2]).toMatch(/^2,error,RUN_INPUT: /);
  });

  it('cancels a bulk run and resumes it without losing or repeating rows', async () => {
    const rows = Array.from({ length: 40 }, (_, n) => `${n}`).join('\n');
    await openBulk('Slow provisioning', Buffer.from(`n\n${rows}\n`));
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    const status = page.getByRole('status').filter({ hasText: 'rows' });
    await expect.poll(() => status.textContent()).toContain('cancelled');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain('40 ok · 0 failed');
    const [run] = await designer.engine.handlers['runs.list']({ limit: 1, offset: 0 });
    const steps = await designer.engine.handlers['runs.steps']({ runId: run!.id, offset: 0, limit: 5000 });
    const finished = steps
      .filter((s) => s.nodeId === 'done' && s.status === 'succeeded' && s.scope !== '')
      .map((s) => s.scope);
    expect(finished).toHaveLength(40);
    expect(new Set(finished).size).toBe(40);
  });
});
