import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureScreenshotDir, useDesigner } from './browser.js';

const designer = useDesigner('e2e-editor.db');
let page: Page;

beforeAll(async () => {
  page = await designer.browser.newPage({ viewport: { width: 1500, height: 900 }, acceptDownloads: true });
});

const cardOnCanvas = (id: string) => page.locator(`.vue-flow__node[data-id="${id}"]`);

/**
 * HTML5 drag and drop from the palette: the same dragstart / dragover / drop events a mouse drag
 * fires, with one DataTransfer carried through (Playwright's own dragTo does not carry it here).
 */
async function dragCard(type: string, search: string, x: number, y: number): Promise<void> {
  await page.getByLabel('Search cards').fill(search);
  const pane = (await page.locator('.flow-canvas .vue-flow__pane').boundingBox())!;
  await page.evaluate(
    ({ type, clientX, clientY }) => {
      const data = new DataTransfer();
      const item = document.querySelector(`[data-card-type="${type}"]`)!;
      item.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: data }));
      const target = document.querySelector('.flow-canvas .vue-flow__pane')!;
      target.dispatchEvent(
        new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data, clientX, clientY }),
      );
      target.dispatchEvent(
        new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data, clientX, clientY }),
      );
    },
    { type, clientX: pane.x + x, clientY: pane.y + y },
  );
}

async function dropOnInput(chipText: string, input: string): Promise<void> {
  await page.evaluate(
    ({ chipText, input }) => {
      const data = new DataTransfer();
      const chip = [...document.querySelectorAll('.inspector .upstream .chip')].find((c) =>
        c.textContent?.includes(chipText),
      )!;
      chip.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: data }));
      const target = document.querySelector(`.inspector [data-input="${input}"]`)!;
      target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }));
      target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
    },
    { chipText, input },
  );
}

async function connectHandles(from: Locator, to: Locator): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

const sourceHandle = (id: string, handle = 'next') =>
  page.locator(`.vue-flow__node[data-id="${id}"] .vue-flow__handle.source[data-handleid="${handle}"]`);
const targetHandle = (id: string) => page.locator(`.vue-flow__node[data-id="${id}"] .vue-flow__handle.target`);
const inspector = () => page.getByRole('complementary', { name: 'Card inspector' });

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ensureScreenshotDir(), name) });
}

describe('the flow editor in a real browser', () => {
  it('builds a flow from the palette, binds values, saves, test-runs, shows a failure, undoes and redoes', async () => {
    await page.goto(designer.url);
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByPlaceholder('e.g. Joiner: create accounts').fill('Decode welcome note');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.flow-canvas').waitFor();

    await dragCard('text.compose', 'compose', 130, 150);
    await dragCard('text.base64Decode', 'base64', 360, 150);
    await dragCard('control.return', 'return', 590, 150);
    await expect.poll(() => page.locator('.vue-flow__node-card').count()).toBe(3);
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.waitForTimeout(400);

    await connectHandles(sourceHandle('trigger'), targetHandle('compose1'));
    await connectHandles(sourceHandle('compose1'), targetHandle('base64Decode1'));
    await connectHandles(sourceHandle('base64Decode1'), targetHandle('return1'));
    await expect
      .poll(() =>
        page.locator('.vue-flow__edge').evaluateAll((edges) => edges.map((e) => e.getAttribute('data-id')).sort()),
      )
      .toEqual(['base64Decode1.next->return1', 'compose1.next->base64Decode1', 'trigger.next->compose1']);

    // Compose: a fixed text (Base64 of "hello").
    await cardOnCanvas('compose1').click();
    await inspector().getByLabel('text', { exact: true }).fill('aGVsbG8=');
    // Decode: bound to the Compose card's output through the picker.
    await cardOnCanvas('base64Decode1').click();
    await inspector().getByLabel('How text gets its value').click();
    await page.locator('.n-base-select-option', { hasText: 'From a card' }).click();
    await inspector().locator('[data-input="text"] .n-base-selection').last().click();
    await page.locator('.n-base-select-option', { hasText: 'Compose › text' }).click();
    // Return: a field named decoded, bound by dragging the Decode output onto it.
    await cardOnCanvas('return1').click();
    await inspector().getByLabel('New field name').fill('decoded');
    await inspector().getByRole('button', { name: 'Add field' }).click();
    await dropOnInput('Base64 decode › text', 'decoded');
    await expect.poll(() => cardOnCanvas('return1').textContent()).toContain('decoded: base64Decode1.text');

    await page.keyboard.press('Control+s');
    await page.getByText('Saved', { exact: true }).first().waitFor();

    // Reload: the flow comes back unchanged from the database.
    await page.reload();
    await page.getByText('Decode welcome note').click();
    await expect.poll(() => page.locator('.vue-flow__node-card').count()).toBe(3);
    expect(await cardOnCanvas('base64Decode1').textContent()).toContain('text: compose1.text');
    const stored = (await designer.engine.handlers['flows.list']({})).find((f) => f.name === 'Decode welcome note')!;
    const document = (await designer.engine.handlers['flows.get']({ id: stored.id })).flow;
    expect(document.edges.map((e) => `${e.source}->${e.target}`).sort()).toEqual([
      'base64Decode1->return1',
      'compose1->base64Decode1',
      'trigger->compose1',
    ]);

    // Test run: the cards turn green and the inspector shows the decoded text.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('[data-test="run-result"] .n-tag', { hasText: 'succeeded' }).waitFor();
    await cardOnCanvas('base64Decode1').click();
    await inspector().locator('.step-outputs').getByText('"hello"').waitFor();
    await shoot('editor-test-run.png');

    // A card that fails shows it on the canvas and in history.
    await cardOnCanvas('compose1').click();
    await inspector().getByLabel('text', { exact: true }).fill('%%% not base64');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('[data-test="run-result"] .n-tag', { hasText: 'failed' }).waitFor();
    await expect
      .poll(() => cardOnCanvas('base64Decode1').locator('.card').getAttribute('class'))
      .toContain('status-failed');
    expect(await page.locator('[data-test="run-result"]').textContent()).toContain('not valid');
    await shoot('editor-failed-card.png');

    // Undo / redo the last text change.
    await page.locator('.vue-flow__pane').click({ position: { x: 50, y: 400 } });
    await page.keyboard.press('Control+z');
    await cardOnCanvas('compose1').click();
    await expect.poll(() => inspector().getByLabel('text', { exact: true }).inputValue()).not.toContain('%%%');
    await page.locator('.vue-flow__pane').click({ position: { x: 50, y: 400 } });
    await page.keyboard.press('Control+Shift+z');
    await cardOnCanvas('compose1').click();
    await expect.poll(() => inspector().getByLabel('text', { exact: true }).inputValue()).toBe('%%% not base64');

    // The failure is in run history too.
    const runs = await designer.engine.handlers['runs.list']({ status: 'failed', limit: 10, offset: 0 });
    expect(runs[0]?.error?.message).toContain('not valid');
  });

  it('exports a flow to a file and imports it back as a new flow', async () => {
    await page.close();
    page = await designer.browser.newPage({ viewport: { width: 1500, height: 900 }, acceptDownloads: true });
    await page.goto(designer.url);
    const row = page.locator('.flow', { hasText: 'Decode welcome note' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: 'Export' }).click(),
    ]);
    const file = (await download.path())!;
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ name: 'Decode welcome note', schemaVersion: 1 });
    await page.locator('[data-test="import-file"]').setInputFiles(file);
    await page.getByText('Imported “Decode welcome note”.').waitFor();
    await expect.poll(() => page.locator('.flow', { hasText: 'Decode welcome note' }).count()).toBe(2);
    await page
      .locator('[data-test="import-file"]')
      .setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"name": 3}') });
    await page.getByText('Cannot import this file').waitFor();
    await shoot('flows-import-error.png');
  });
});
