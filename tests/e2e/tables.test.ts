import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureScreenshotDir, useDesigner } from './browser.js';

const designer = useDesigner('e2e-tables.db');
describe('tables in a real browser', () => {
  it('creates a typed table, imports a CSV, sorts, and exports the rows again', async () => {
    const page = await designer.browser.newPage({ viewport: { width: 1400, height: 800 }, acceptDownloads: true });
    await page.goto(designer.url);
    await page.getByRole('menuitem', { name: 'Tables' }).click();
    await page.getByRole('button', { name: 'New table' }).click();
    await page.getByPlaceholder('e.g. Existing addresses').fill('Staff');
    await page.getByLabel('Column 1 name').fill('email');
    await page.getByRole('button', { name: 'Add column' }).click();
    await page.getByLabel('Column 2 name').fill('age');
    await page.getByLabel('Column 2 type').click();
    await page.locator('.n-base-select-option', { hasText: 'number' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Staff' }).waitFor();

    const csv = 'email,age\njose.muller@example.com,41\n"o\'brien@example.com",29\nana@example.com,35\n';
    await page
      .locator('[data-test="csv-file"]')
      .setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('Imported 3 row(s).').waitFor();
    await page.getByText('jose.muller@example.com').waitFor();

    const firstEmail = () => page.locator('tbody tr td:first-child').first().textContent();
    await page.getByText('age (number)').click(); // oldest first
    await expect.poll(firstEmail).toBe('jose.muller@example.com');
    await page.getByText('age (number)').click(); // youngest first
    await expect.poll(firstEmail).toBe("o'brien@example.com");

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const exported = fs.readFileSync((await download.path())!, 'utf8');
    expect(exported.split(/\r?\n/)[0]).toBe('email,age');
    expect(exported).toContain('jose.muller@example.com,41');
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'tables.png') });
    await page.close();
  });

  it('names the row and column of a bad CSV value and imports nothing', async () => {
    const page = await designer.browser.newPage({ viewport: { width: 1400, height: 800 } });
    await page.goto(designer.url);
    await page.getByRole('menuitem', { name: 'Tables' }).click();
    await page.getByRole('button', { name: /Staff/ }).click();
    await page.locator('[data-test="csv-file"]').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email,age\nok@example.com,30\nbad@example.com,thirty\n'),
    });
    await page.getByText(/row 2.*age|age.*row 2/i).waitFor();
    const total = (await designer.engine.handlers['tables.list']({})).find((t) => t.name === 'Staff')?.rowCount;
    expect(total).toBe(3);
    await page.close();
  });

  it('keeps a unique column unique, naming the column of a duplicate, and changes the index', async () => {
    const page = await designer.browser.newPage({ viewport: { width: 1400, height: 800 } });
    await page.goto(designer.url);
    await page.getByRole('menuitem', { name: 'Tables' }).click();
    await page.getByRole('button', { name: 'New table' }).click();
    await page.getByPlaceholder('e.g. Existing addresses').fill('Mailboxes');
    await page.getByLabel('Column 1 name').fill('email');
    await page.getByLabel('Column 1 index').click();
    await page.locator('.n-base-select-option', { hasText: 'Unique' }).click();
    await page.getByRole('button', { name: 'Add column' }).click();
    await page.getByLabel('Column 2 name').fill('quota');
    await page.getByLabel('Column 2 type').click();
    await page.locator('.n-base-select-option', { hasText: 'number' }).click();
    await expect.poll(() => page.locator('.n-base-select-menu:visible').count()).toBe(0);
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'tables-new-unique.png') });
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Mailboxes' }).waitFor();
    await page.locator('th .n-tag', { hasText: 'unique' }).waitFor();

    const addRow = async (email: string) => {
      await page.getByRole('button', { name: 'Add row' }).click();
      await page.getByRole('dialog').getByLabel('email').fill(email);
      await page.getByRole('button', { name: 'Save' }).click();
    };
    await addRow('ana@example.com');
    await page.locator('tbody').getByText('ana@example.com').waitFor();
    await addRow('ANA@example.com');
    await page.getByText(/column "email" is unique and "ANA@example.com" is already in the table/).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    // Making a column with duplicates unique is refused in the dialog, and nothing changes.
    const mailboxes = (await designer.engine.handlers['tables.list']({})).find((t) => t.name === 'Mailboxes')!;
    await designer.engine.handlers['tables.insertRows']({ tableId: mailboxes.id, rows: [{ quota: 5 }, { quota: 5 }] });
    await page.getByRole('button', { name: 'Indexes…' }).click();
    const quota = page.getByRole('radiogroup', { name: 'Index of column quota' });
    await quota.getByText('Unique').click();
    await page.getByText(/Column "quota" of table "Mailboxes" cannot be unique: 5 is in more than one row/).waitFor();
    await page.screenshot({ path: path.join(ensureScreenshotDir(), 'tables-indexes.png') });
    await quota.getByText('Indexed').click();
    await expect
      .poll(
        async () => (await designer.engine.handlers['tables.list']({})).find((t) => t.name === 'Mailboxes')?.columns,
      )
      .toEqual([
        { name: 'email', type: 'text', index: 'unique' },
        { name: 'quota', type: 'number', index: 'indexed' },
      ]);
    await page.close();
  });
});
