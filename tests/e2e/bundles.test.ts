import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { card, flow, lit, tpl } from '../support/test-engine.js';
import { ensureScreenshotDir, useDesigner } from './browser.js';

const designer = useDesigner('e2e-bundles.db');
let page: Page;

beforeAll(async () => {
  await designer.engine.handlers['flows.save']({
    flow: flow({
      id: 'welcome-helper',
      name: 'Welcome text',
      trigger: { kind: 'helper', inputs: [{ name: 'first', type: 'text', required: true }], outputs: [] },
      nodes: [card('done', 'control.return', { text: tpl('Welcome {{trigger.first}}') })],
    }),
  });
  await designer.engine.handlers['flows.save']({
    flow: flow({
      id: 'joiner',
      name: 'Joiner welcome',
      nodes: [
        card('call', 'control.callFlow', { flow: lit('welcome-helper'), first: lit('Ada') }),
        card('done', 'control.return', { text: { kind: 'ref', node: 'call', path: ['text'] } }),
      ],
    }),
  });
  page = await designer.browser.newPage({ viewport: { width: 1300, height: 860 }, acceptDownloads: true });
});
afterAll(async () => {
  for (const account of (await designer.secrets?.list()) ?? []) await designer.secrets.delete(account);
});

describe('bundles in a real browser', () => {
  it('creates a signing key, exports a signed bundle with the helper, and imports it back', async () => {
    await page.goto(designer.url);
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Create signing key' }).click();
    await page.getByText('Key id').waitFor();
    expect(await designer.secrets.list()).toEqual(['bundle-signing-key']);
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'settings-signing-key.png') });

    await page.getByRole('menuitem', { name: 'Flows' }).click();
    await page.getByRole('button', { name: 'Bundles…' }).click();
    await page.getByRole('checkbox', { name: 'Joiner welcome' }).click();
    await page.getByLabel('Bundle name').fill('Joiner flows');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export bundle' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('joiner-flows-1.0.0.bundle.json');
    const content = fs.readFileSync((await download.path())!, 'utf8');
    const bundle = JSON.parse(content) as { flows: { id: string }[]; signature?: { keyId: string } };
    expect(bundle.flows.map((f) => f.id).sort()).toEqual(['joiner', 'welcome-helper']);
    expect(bundle.signature?.keyId).toMatch(/^[0-9a-f]{32}$/);
    await page.getByText('signed by key').waitFor();
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'bundle-export.png') });

    // Import it back after deleting the flows: this installation trusts its own key.
    await designer.engine.handlers['flows.delete']({ id: 'joiner' });
    await designer.engine.handlers['flows.delete']({ id: 'welcome-helper' });
    await page.locator('.n-tabs-tab', { hasText: 'Import' }).click();
    await page
      .getByLabel('Bundle file')
      .setInputFiles({ name: 'joiner.bundle.json', mimeType: 'application/json', buffer: Buffer.from(content) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Imported Joiner flows 1.0.0: 2 flow(s)').waitFor();
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'bundle-import.png') });
    expect((await designer.engine.handlers['flows.list']({})).map((f) => f.id).sort()).toEqual([
      'joiner',
      'welcome-helper',
    ]);

    // A tampered copy is refused with the reason.
    const tampered = content.replace('Welcome {{trigger.first}}', 'Goodbye {{trigger.first}}');
    await page
      .getByLabel('Bundle file')
      .setInputFiles({ name: 'tampered.bundle.json', mimeType: 'application/json', buffer: Buffer.from(tampered) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').last().textContent()).toContain('changed');
  });
});
