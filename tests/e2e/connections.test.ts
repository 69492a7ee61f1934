import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { card, flow, lit } from '../support/test-engine.js';
import { ensureScreenshotDir, useDesigner } from './browser.js';

const designer = useDesigner('e2e-connections.db');
const TOKEN = 'e2e-bearer-7c4f0a2d9e1b';
let page: Page;
let api: Server;
let apiUrl: string;

beforeAll(async () => {
  // The "directory API" the connection points at: it answers only with the right bearer token.
  api = createServer((request, response) => {
    const ok = request.headers.authorization === `Bearer ${TOKEN}`;
    response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    response.end(JSON.stringify(ok ? { users: [] } : { error: 'invalid token' }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  page = await designer.browser.newPage({ viewport: { width: 1400, height: 860 } });
});
afterAll(async () => {
  for (const account of (await designer.secrets?.list()) ?? []) await designer.secrets.delete(account);
  await new Promise((resolve) => api?.close(resolve));
});

async function pick(label: string, option: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator('.n-base-select-option', { hasText: option }).first().click();
}

describe('connections in a real browser', () => {
  it('creates a connection with a write-only secret in the keychain, tests it, and deletes it', async () => {
    await page.goto(designer.url);
    await page.getByRole('menuitem', { name: 'Connections' }).click();
    await page.getByRole('navigation', { name: 'Connectors' }).getByText('HTTP', { exact: true }).click();
    await page.getByRole('button', { name: 'New connection' }).click();

    await page.getByLabel('Connection name').fill('Directory API');
    await page.getByLabel('Base URL').fill(apiUrl);
    await pick('Authentication', 'bearer');
    await page.getByLabel('Password, token, API key or client secret').fill(TOKEN);
    await page.getByRole('button', { name: 'Save' }).click();

    const entry = page.locator('.connection', { hasText: 'Directory API' });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('Password, token, API key or client secret: set');
    expect(await entry.textContent()).not.toContain(TOKEN);
    const [connection] = await designer.engine.handlers['connections.list']({});
    expect(await designer.secrets.get(connection!.id)).toContain(TOKEN);

    await entry.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => entry.getByRole('status').textContent()).toContain('✓ Connected: 200');
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'connections.png') });

    // Editing shows the secret as set but never its value; leaving it empty keeps it.
    await entry.getByRole('button', { name: 'Edit' }).click();
    const secretInput = page.getByLabel('Password, token, API key or client secret');
    expect(await secretInput.inputValue()).toBe('');
    expect(await secretInput.getAttribute('placeholder')).toBe('Set: leave empty to keep');
    await page.getByLabel('Connection name').fill('Directory API (prod)');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.connection', { hasText: 'Directory API (prod)' }).waitFor();
    await page.locator('.connection').getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => page.locator('.connection').getByRole('status').textContent()).toContain('✓');

    await page.locator('.connection').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).last().click();
    await page.getByText('No HTTP connections yet.').waitFor();
    expect(await designer.secrets.get(connection!.id)).toBeNull();
  });

  it('shows a card whose connection is missing, and offers the connector’s connections in the inspector', async () => {
    const kept = await designer.engine.handlers['connections.save']({
      connector: 'http',
      name: 'HR API',
      settings: { baseUrl: apiUrl, authScheme: 'none' },
    });
    await designer.engine.handlers['flows.save']({
      flow: flow({
        id: 'joiner',
        name: 'Joiner: HR lookup',
        nodes: [
          {
            ...card('lookup', 'http.get', { connection: lit('deleted-connection'), path: lit('/users') }),
            position: { x: 260, y: 0 },
          },
          { ...card('done', 'control.return', { ok: lit(true) }), position: { x: 560, y: 0 } },
        ],
      }),
    });
    await page.goto(designer.url);
    await page.reload(); // the same address with a new hash would not reload the designer
    await page.getByText('Joiner: HR lookup').click();
    const lookup = page.locator('.vue-flow__node[data-id="lookup"]');
    await lookup.waitFor();
    await expect.poll(() => lookup.textContent()).toContain('1');
    await lookup.click();
    const inspector = page.getByRole('complementary', { name: 'Card inspector' });
    await expect.poll(() => inspector.textContent()).toContain('does not exist');
    await pick('connection: connection', 'HR API');
    await expect.poll(() => inspector.textContent()).not.toContain('does not exist');
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'editor-connector-card.png') });
    const saved = await designer.engine.handlers['flows.get']({ id: 'joiner' });
    expect(saved.flow.nodes[0]?.inputs['connection']).toEqual({ kind: 'literal', value: 'deleted-connection' });
    expect(kept.id).toBeTruthy();
  });

  it('imports an OpenAPI document as a custom connector whose operations become palette cards', async () => {
    await page.goto(designer.url);
    await page.reload();
    await page.getByRole('menuitem', { name: 'Connections' }).click();
    await page.getByRole('button', { name: 'New custom connector…' }).click();
    await page.getByLabel('OpenAPI file').setInputFiles({
      name: 'hr-portal.yaml',
      mimeType: 'application/yaml',
      buffer: fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/openapi/hr-portal.yaml')),
    });
    const listEmployees = page.getByRole('checkbox', { name: /List employees/ });
    await listEmployees.waitFor();
    const operations = await page.getByRole('checkbox').count();
    expect(operations).toBeGreaterThan(2);
    await listEmployees.click(); // leave one operation out
    await page.getByRole('button', { name: `Import ${operations - 1} operation(s)` }).click();

    const entry = page.getByRole('navigation', { name: 'Connectors' }).getByText('Acme HR Portal');
    await entry.waitFor();
    const [custom] = (await designer.engine.handlers['connectors.list']({})).filter((c) => !c.builtIn);
    expect(custom?.definition.actions).toHaveLength(operations - 1);
    expect(custom?.definition.actions.map((a) => a.name)).not.toContain('listEmployees');
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'connections-custom.png') });

    // Its cards are in the editor's palette at once, under the connector's name.
    await page.getByRole('menuitem', { name: 'Flows' }).click();
    await page.getByText('Joiner: HR lookup').click();
    await page.getByLabel('Search cards').fill('employee');
    const palette = page.getByRole('complementary', { name: 'Card palette' });
    await expect.poll(() => palette.textContent()).toContain('Acme HR Portal');
    expect(await palette.textContent()).not.toContain('List employees');
  });
});
