import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { card, flow, lit, tpl } from '../support/test-engine.js';

/** Cards side by side, left to right, as auto-layout would place them. */
const inRow = <T extends { position: { x: number; y: number } }>(cards: T[]): T[] =>
  cards.map((c, i) => ({ ...c, position: { x: 260 * (i + 1), y: 0 } }));
import { ensureScreenshotDir, useDesigner } from './browser.js';

const designer = useDesigner('e2e-tabs.db');
let page: Page;

const cardOnCanvas = (id: string) => page.locator(`.vue-flow__node[data-id="${id}"]`);
const inspector = () => page.getByRole('complementary', { name: 'Card inspector' });
const tab = (name: string) => page.locator('.tabs .n-tabs-tab', { hasText: name });

beforeAll(async () => {
  await designer.engine.handlers['flows.save']({
    flow: flow({
      id: 'greet',
      name: 'Build greeting',
      trigger: { kind: 'helper', inputs: [{ name: 'name', type: 'text', required: true }] },
      nodes: inRow([
        card('compose', 'text.compose', { text: tpl('Welcome, {{trigger.name}}') }),
        card('done', 'control.return', { greeting: { kind: 'ref', node: 'compose', path: ['text'] } }),
      ]),
    }),
  });
  await designer.engine.handlers['flows.save']({
    flow: flow({
      id: 'onboard',
      name: 'Onboard new hire',
      nodes: inRow([
        card('call', 'control.callFlow', { flow: lit('greet'), name: lit('Ana') }),
        card('upper', 'text.upper', { text: { kind: 'ref', node: 'call', path: ['greeting'] } }),
        card('finish', 'control.return', { ok: lit(true) }),
      ]),
    }),
  });
  page = await designer.browser.newPage({ viewport: { width: 1500, height: 900 } });
});

describe('helper flows in tabs, in a real browser', () => {
  it('opens the helper of a call-flow card in a tab and keeps each tab’s unsaved changes', async () => {
    await page.goto(designer.url);
    await page.getByText('Onboard new hire').click();
    await cardOnCanvas('call').waitFor();

    // The call-flow card names its helper; Open shows the helper in a second tab.
    await cardOnCanvas('call').click();
    await expect.poll(() => inspector().locator('[data-input="flow"]').textContent()).toContain('Build greeting');
    await inspector().getByRole('button', { name: 'Open' }).click();
    await tab('Build greeting').waitFor();
    await cardOnCanvas('compose').waitFor();
    expect(await page.locator('.tabs .n-tabs-tab').count()).toBe(2);
    expect(await cardOnCanvas('call').count()).toBe(0);

    // An unsaved change in the helper survives a switch to the other tab and back.
    await cardOnCanvas('compose').click();
    await inspector().getByLabel('Card title').fill('Greeting text');
    await expect.poll(() => tab('Build greeting').textContent()).toContain('•');
    await tab('Onboard new hire').click();
    await cardOnCanvas('call').waitFor();
    expect(await tab('Onboard new hire').textContent()).not.toContain('•');
    await tab('Build greeting').click();
    await expect.poll(() => cardOnCanvas('compose').textContent()).toContain('Greeting text');
    expect(await page.getByRole('button', { name: 'Undo' }).isEnabled()).toBe(true);
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'editor-helper-tabs.png') });

    // Leaving the editor asks about the unsaved helper; saving stores it.
    await page.getByRole('button', { name: '‹ Flows' }).click();
    await page.getByText('changes that are not saved').waitFor();
    await page.getByRole('button', { name: 'Save and close' }).click();
    await page.getByRole('button', { name: 'New flow' }).waitFor();
    const saved = await designer.engine.handlers['flows.get']({ id: 'greet' });
    expect(saved.flow.nodes.find((n) => n.id === 'compose')?.title).toBe('Greeting text');
  });

  it('selects several cards with Ctrl+click, deletes them together and undoes that in one step', async () => {
    await page.getByText('Onboard new hire', { exact: true }).first().click();
    await cardOnCanvas('upper').waitFor();
    await cardOnCanvas('upper').click();
    await cardOnCanvas('finish').click({ modifiers: ['Control'] });
    await expect.poll(() => page.locator('.vue-flow__node.selected').count()).toBe(2);
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('.vue-flow__node-card').count()).toBe(1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.vue-flow__node-card').count()).toBe(3);
    // Closing the only tab with an unchanged flow goes straight back to the list.
    await page.locator('.tabs .n-tabs-tab', { hasText: 'Onboard new hire' }).locator('.n-base-close').click();
    await page.getByRole('button', { name: 'New flow' }).waitFor();
  });
});
