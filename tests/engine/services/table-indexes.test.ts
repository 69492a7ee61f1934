import type Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { TableService } from '../../../src/engine/services/table-service.js';
import { apiContract, type TableColumn } from '../../../src/shared/api/contract.js';
import { openDatabase } from '../../../src/engine/store/database.js';
import { useTempDatabases } from '../store/temp-database.js';
import { caught } from '../../support/caught.js';

const temp = useTempDatabases();

const mailboxColumns: TableColumn[] = [
  { name: 'email', type: 'text', index: 'unique' },
  { name: 'display name', type: 'text', index: 'indexed' },
  { name: 'employee number', type: 'number', index: 'unique' },
  { name: 'note', type: 'text' },
];

function setup() {
  const db = temp.open();
  const tables = new TableService(db);
  const mailboxes = tables.create({ name: 'Mailboxes', columns: mailboxColumns });
  return { db, tables, mailboxes };
}

/** The indexes SQLite holds for one table's columns. */
function indexesOf(db: Database.Database, tableId: string): { name: string; sql: string }[] {
  return db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE ? ORDER BY name")
    .all(`%'${tableId}'%`) as { name: string; sql: string }[];
}

/** What SQLite's planner does with each statement the work prepares. */
function plansOf(db: Database.Database, work: () => void): string[] {
  const prepare = vi.spyOn(db, 'prepare');
  work();
  const statements = prepare.mock.calls.map(([sql]) => sql);
  prepare.mockRestore();
  return statements.map((sql) => {
    const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 'x');
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
    return rows.map((row) => row.detail).join('; ');
  });
}

describe('TableService: column indexes', () => {
  it('creates one partial index per indexed column, unique where asked, and keeps the setting', () => {
    const { db, mailboxes } = setup();
    expect(mailboxes.columns).toEqual(mailboxColumns);
    const indexes = indexesOf(db, mailboxes.id);
    expect(indexes).toHaveLength(3);
    const email = indexes.find((i) => i.sql.includes(`'$."email"'`))!;
    expect(email.sql).toMatch(/^CREATE UNIQUE INDEX "data_table_rows_ix_/);
    expect(email.sql).toContain(`lower(json_extract("values", '$."email"'))`);
    expect(email.sql).toContain(`WHERE table_id = '${mailboxes.id}'`);
    expect(indexes.find((i) => i.sql.includes('display name'))!.sql).toMatch(/^CREATE INDEX /);
    expect(indexes.find((i) => i.sql.includes('employee number'))!.sql).not.toContain('lower(');
  });

  it('looks values up through the index, ignoring ASCII case', () => {
    const { db, tables, mailboxes } = setup();
    tables.insertRows({
      tableId: mailboxes.id,
      rows: [{ email: 'Ana@Example.com' }, { email: 'bob@example.com' }, { email: 'Jörg@Example.com' }],
    });
    let lookup = tables.textLookup('mailboxes', 'email')!;
    const plans = plansOf(db, () => (lookup = tables.textLookup('mailboxes', 'email')!));
    expect(plans).toHaveLength(4);
    // Every lookup is answered from the index alone, without reading the rows.
    for (const plan of plans)
      expect(plan).toMatch(/^SEARCH data_table_rows USING COVERING INDEX data_table_rows_ix_\S+ \(<expr>/);

    expect(lookup.has('ana@example.com')).toBe(true);
    expect(lookup.has('ANA@EXAMPLE.COM')).toBe(true);
    expect(lookup.has('jörg@example.com')).toBe(true);
    // SQLite folds only A-Z, as the directories the addresses go to do.
    expect(lookup.has('JÖRG@example.com')).toBe(false);
    expect(lookup.has('ana')).toBe(false);
    expect(lookup.has('')).toBe(false);
    expect(lookup.hasPrefix('JÖ')).toBe(false);
    expect(lookup.hasPrefix('jö')).toBe(true);

    tables.insertRows({ tableId: mailboxes.id, rows: [{ email: 'cleo@example.com' }] });
    expect(lookup.has('Cleo@example.com')).toBe(true);
  });

  it('finds values by prefix as a range on the index', () => {
    const { tables, mailboxes } = setup();
    tables.insertRows({
      tableId: mailboxes.id,
      rows: [{ email: 'ana.lima@example.com' }, { email: 'Anabel@Example.com' }, { email: 'bob@example.com' }],
    });
    const lookup = tables.textLookup(mailboxes.id, 'email')!;
    expect(lookup.hasPrefix('ANA')).toBe(true);
    expect(lookup.hasPrefix('anab')).toBe(true);
    expect(lookup.hasPrefix('ana.')).toBe(true);
    expect(lookup.hasPrefix('anac')).toBe(false);
    expect(lookup.hasPrefix('bob@example.com')).toBe(true);
    expect(lookup.hasPrefix('bob@example.comx')).toBe(false);
    expect(lookup.hasPrefix('c')).toBe(false);
    expect(lookup.hasPrefix('')).toBe(true);
    expect(lookup.valuesInRange('ANA', 'ANB').sort()).toEqual(['ana.lima@example.com', 'anabel@example.com']);
    expect(lookup.valuesInRange('ana.', 'ana/')).toEqual(['ana.lima@example.com']);
    expect(lookup.valuesInRange('anac', 'anad')).toEqual([]);
  });

  it('reads ranges ahead on another thread and gives each once, the same values as in place', async () => {
    const { tables, mailboxes } = setup();
    tables.insertRows({
      tableId: mailboxes.id,
      rows: ['ana.lima', 'Ana.Lima2', 'ana.lima17', 'bo.ek', 'cy.ho3'].map((local) => ({
        email: `${local}@example.com`,
      })),
    });
    const lookup = tables.textLookup(mailboxes.id, 'email')!;
    lookup.readAhead([
      ['ANA.LIMA', 'ana.limaa'],
      ['cy.ho', 'cy.hoa'],
      ['dee', 'deea'],
    ]);
    await lookup.readAheadSettled();
    // Written after the range was read: the answer read ahead is the table as it was then.
    tables.insertRows({ tableId: mailboxes.id, rows: [{ email: 'dee@example.com' }] });
    expect(lookup.valuesInRange('ana.lima', 'ana.limaa').sort()).toEqual([
      'ana.lima17@example.com',
      'ana.lima2@example.com',
      'ana.lima@example.com',
    ]);
    expect(lookup.valuesInRange('cy.ho', 'cy.hoa')).toEqual(['cy.ho3@example.com']);
    expect(lookup.valuesInRange('dee', 'deea')).toEqual([]);
    expect(lookup.rangesReadAhead).toBe(3);
    // Each answer is given once; asked again, or for other bounds, the range is read in place.
    expect(lookup.valuesInRange('dee', 'deea')).toEqual(['dee@example.com']);
    expect(lookup.valuesInRange('bo', 'bp')).toEqual(['bo.ek@example.com']);
    expect(lookup.rangesReadAhead).toBe(3);
  });

  it('reads every range in place for a database in memory, where no second connection can look', () => {
    const db = temp.track(openDatabase(':memory:'));
    const tables = new TableService(db);
    const mailboxes = tables.create({ name: 'Mailboxes', columns: mailboxColumns });
    tables.insertRows({ tableId: mailboxes.id, rows: [{ email: 'ana@example.com' }] });
    const lookup = tables.textLookup(mailboxes.id, 'email')!;
    lookup.readAhead([['ana', 'anaa']]);
    expect(lookup.valuesInRange('ana', 'anaa')).toEqual(['ana@example.com']);
    expect(lookup.rangesReadAhead).toBe(0);
  });

  it('gives no lookup for a column without an index or of another type, and names unknown ones', () => {
    const { tables, mailboxes } = setup();
    expect(tables.textLookup(mailboxes.id, 'note')).toBeUndefined();
    expect(tables.textLookup(mailboxes.id, 'employee number')).toBeUndefined();
    expect(tables.textLookup(mailboxes.id, 'display name')?.has('x')).toBe(false);
    expect(caught(() => tables.textLookup(mailboxes.id, 'mail')).code).toBe('TABLE_UNKNOWN_COLUMN');
    expect(caught(() => tables.textLookup('Postboxes', 'email')).code).toBe('TABLE_NOT_FOUND');
  });

  it('refuses an index on a column type that cannot have one, naming the column and the fix', () => {
    const { tables } = setup();
    const error = caught(() =>
      tables.create({ name: 'Staff', columns: [{ name: 'groups', type: 'list', index: 'unique' }] }),
    );
    expect(error.code).toBe('TABLE_COLUMNS_INVALID');
    expect(error.message).toContain('"groups"');
    expect(error.message).toContain('only text and number columns');
    expect(tables.list().map((t) => t.name)).toEqual(['Mailboxes']);
    expect(tables.create({ name: 'Flags', columns: [{ name: 'on', type: 'boolean', index: 'none' }] }).columns).toEqual(
      [{ name: 'on', type: 'boolean' }],
    );
  });
});

describe('TableService: unique columns', () => {
  it('refuses a value already in the table and keeps nothing of that insert', () => {
    const { tables, mailboxes } = setup();
    tables.insertRows({ tableId: mailboxes.id, rows: [{ email: 'ana@example.com', 'employee number': 7 }] });
    const error = caught(() =>
      tables.insertRows({
        tableId: mailboxes.id,
        rows: [{ email: 'ben@example.com' }, { email: 'cleo@example.com' }, { email: 'ANA@example.com' }],
      }),
    );
    expect(error.code).toBe('TABLE_VALUE_NOT_UNIQUE');
    expect(error.message).toBe(
      'Row 3: column "email" is unique and "ANA@example.com" is already in the table (ignoring case). Change the value or remove the row.',
    );
    expect(error.details).toMatchObject({ column: 'email', value: 'ANA@example.com', row: 3 });
    expect(tables.get(mailboxes.id).rowCount).toBe(1);

    const number = caught(() => tables.insertRows({ tableId: mailboxes.id, rows: [{ 'employee number': '7' }] }));
    expect(number.message).toBe(
      'Row 1: column "employee number" is unique and 7 is already in the table. Change the value or remove the row.',
    );
  });

  it('refuses a value twice in one batch, naming both rows', () => {
    const { tables, mailboxes } = setup();
    const error = caught(() =>
      tables.insertRows({
        tableId: mailboxes.id,
        rows: [{ email: 'ana@example.com' }, { email: 'ben@example.com' }, { email: 'Ana@Example.com' }],
      }),
    );
    expect(error.code).toBe('TABLE_VALUE_NOT_UNIQUE');
    expect(error.message).toContain('Row 3: column "email" is unique and "Ana@Example.com" is already in row 1');
    expect(error.details).toMatchObject({ column: 'email', value: 'Ana@Example.com', row: 3 });
    expect(tables.get(mailboxes.id).rowCount).toBe(0);
  });

  it('lets any number of rows leave a unique column empty', () => {
    const { tables, mailboxes } = setup();
    tables.insertRows({ tableId: mailboxes.id, rows: [{ email: '' }, { email: '' }, { note: 'x' }, { note: 'y' }] });
    expect(tables.get(mailboxes.id).rowCount).toBe(4);
  });

  it('refuses an update to a value another row holds and leaves the row as it was', () => {
    const { tables, mailboxes } = setup();
    const [, ben] = tables.insertRows({
      tableId: mailboxes.id,
      rows: [{ email: 'ana@example.com' }, { email: 'ben@example.com' }],
    }).ids;
    const error = caught(() =>
      tables.updateRow({ tableId: mailboxes.id, rowId: ben!, values: { email: 'Ana@example.com' } }),
    );
    expect(error.code).toBe('TABLE_VALUE_NOT_UNIQUE');
    expect(error.message).toContain(`Row ${ben}: column "email" is unique and "Ana@example.com" is already`);
    expect(tables.getRow(mailboxes.id, ben!)?.values['email']).toBe('ben@example.com');
    // The row's own value is no conflict.
    expect(
      tables.updateRow({ tableId: mailboxes.id, rowId: ben!, values: { email: 'BEN@example.com' } }).values,
    ).toMatchObject({ email: 'BEN@example.com' });
  });

  it('keeps the indexes when the table is cleared', () => {
    const { db, tables, mailboxes } = setup();
    tables.insertRows({ tableId: mailboxes.id, rows: [{ email: 'ana@example.com' }] });
    tables.clear({ tableId: mailboxes.id });
    expect(indexesOf(db, mailboxes.id)).toHaveLength(3);
    tables.insertRows({ tableId: mailboxes.id, rows: [{ email: 'ana@example.com' }] });
    expect(tables.textLookup(mailboxes.id, 'email')!.has('ana@example.com')).toBe(true);
  });

  it('drops the indexes with the table', () => {
    const { db, tables, mailboxes } = setup();
    tables.insertRows({ tableId: mailboxes.id, rows: [{ email: 'ana@example.com' }] });
    expect(tables.delete({ tableId: mailboxes.id })).toEqual({ deleted: true });
    expect(indexesOf(db, mailboxes.id)).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'data_table_rows_ix_%'").pluck().get()).toBe(
      0,
    );
  });
});

describe('TableService: changing a column index', () => {
  it('adds, changes and removes an index on an existing table', () => {
    const { db, tables, mailboxes } = setup();
    tables.insertRows({ tableId: mailboxes.id, rows: [{ note: 'Keep' }, { note: 'keep' }] });
    let info = tables.setColumnIndex({ tableId: 'Mailboxes', column: 'note', index: 'indexed' });
    expect(info.columns.find((c) => c.name === 'note')).toEqual({ name: 'note', type: 'text', index: 'indexed' });
    expect(indexesOf(db, mailboxes.id)).toHaveLength(4);
    expect(tables.textLookup(mailboxes.id, 'note')!.has('KEEP')).toBe(true);

    info = tables.setColumnIndex({ tableId: mailboxes.id, column: 'email', index: 'none' });
    expect(info.columns.find((c) => c.name === 'email')).toEqual({ name: 'email', type: 'text' });
    expect(tables.get(mailboxes.id).columns).toEqual(info.columns);
    expect(indexesOf(db, mailboxes.id)).toHaveLength(3);
    expect(tables.textLookup(mailboxes.id, 'email')).toBeUndefined();
    tables.insertRows({ tableId: mailboxes.id, rows: [{ email: 'a@x' }, { email: 'a@x' }] });

    tables.setColumnIndex({ tableId: mailboxes.id, column: 'display name', index: 'unique' });
    expect(indexesOf(db, mailboxes.id).filter((i) => i.sql.startsWith('CREATE UNIQUE'))).toHaveLength(2);
  });

  it('refuses to make a column with duplicates unique, names one, and changes nothing', () => {
    const { db, tables, mailboxes } = setup();
    tables.insertRows({
      tableId: mailboxes.id,
      rows: [{ 'display name': 'Ana Lima' }, { 'display name': 'Ben' }, { 'display name': 'ANA LIMA' }],
    });
    const before = indexesOf(db, mailboxes.id);
    const error = caught(() =>
      tables.setColumnIndex({ tableId: mailboxes.id, column: 'display name', index: 'unique' }),
    );
    expect(error.code).toBe('TABLE_VALUE_NOT_UNIQUE');
    expect(error.message).toMatch(
      /^Column "display name" of table "Mailboxes" cannot be unique: "(Ana Lima|ANA LIMA)"/,
    );
    expect(error.details).toMatchObject({ column: 'display name' });
    expect(indexesOf(db, mailboxes.id)).toEqual(before);
    expect(tables.get(mailboxes.id).columns).toEqual(mailboxColumns);
  });

  it('refuses an index on a column that cannot have one, or that does not exist', () => {
    const { tables } = setup();
    const staff = tables.create({ name: 'Staff', columns: [{ name: 'groups', type: 'list' }] });
    const error = caught(() => tables.setColumnIndex({ tableId: staff.id, column: 'groups', index: 'indexed' }));
    expect(error.code).toBe('TABLE_COLUMNS_INVALID');
    expect(error.message).toContain('Column "groups" of table "Staff"');
    expect(caught(() => tables.setColumnIndex({ tableId: staff.id, column: 'x', index: 'unique' })).code).toBe(
      'TABLE_UNKNOWN_COLUMN',
    );
  });

  it('reports a lookup whose index was removed while in use', () => {
    const { tables, mailboxes } = setup();
    const lookup = tables.textLookup(mailboxes.id, 'email')!;
    tables.setColumnIndex({ tableId: mailboxes.id, column: 'email', index: 'none' });
    expect(caught(() => lookup.has('a@x')).code).toBe('TABLE_INDEX_CHANGED');
  });
});

describe('tables made before column indexes', () => {
  it('still read, take duplicates, and can get an index', () => {
    const db = temp.open();
    db.prepare('INSERT INTO data_tables (id, name, columns, created_at) VALUES (?, ?, ?, ?)').run(
      'old-table',
      'Old',
      JSON.stringify([{ name: 'email', type: 'text' }]),
      '2025-01-01T00:00:00.000Z',
    );
    const tables = new TableService(db);
    tables.insertRows({ tableId: 'Old', rows: [{ email: 'a@x' }, { email: 'b@x' }] });
    expect(tables.get('Old').columns).toEqual([{ name: 'email', type: 'text' }]);
    expect(tables.textLookup('Old', 'email')).toBeUndefined();
    tables.setColumnIndex({ tableId: 'Old', column: 'email', index: 'unique' });
    expect(tables.textLookup('Old', 'email')!.has('B@X')).toBe(true);
  });

  it('pass the API contract with and without an index', () => {
    const input = apiContract['tables.create'].input;
    expect(input.safeParse({ name: 'A', columns: [{ name: 'email', type: 'text' }] }).success).toBe(true);
    expect(input.safeParse({ name: 'A', columns: [{ name: 'email', type: 'text', index: 'unique' }] }).success).toBe(
      true,
    );
    expect(input.safeParse({ name: 'A', columns: [{ name: 'email', type: 'text', index: 'primary' }] }).success).toBe(
      false,
    );
  });
});
