import { describe, expect, it } from 'vitest';
import { TableService } from '../../../src/engine/services/table-service.js';
import type { TableColumn } from '../../../src/shared/api/contract.js';
import { useTempDatabases } from '../store/temp-database.js';
import { caught } from '../../support/caught.js';

const temp = useTempDatabases();

const staffColumns: TableColumn[] = [
  { name: 'email', type: 'text' },
  { name: 'age', type: 'number' },
  { name: 'active', type: 'boolean' },
  { name: 'start date', type: 'date' },
  { name: 'groups', type: 'list' },
  { name: 'manager', type: 'object' },
];

function setup() {
  const db = temp.open();
  const tables = new TableService(db);
  const staff = tables.create({ name: 'Staff', columns: staffColumns });
  return { db, tables, staff };
}

function seedStaff(tables: TableService, tableId: string) {
  return tables.insertRows({
    tableId,
    rows: [
      { email: 'ana@example.com', age: 34, active: true, 'start date': '2024-01-15', groups: ['HR', 'All'] },
      { email: 'ben@example.com', age: 28, active: false, 'start date': '2023-06-01', groups: ['IT'] },
      {
        email: 'Cleo@Example.com',
        age: 45,
        active: true,
        'start date': '2025-03-10',
        groups: [],
        manager: { email: 'ana@example.com' },
      },
      { email: '', age: 19 },
    ],
  }).ids;
}

describe('TableService: tables', () => {
  it('creates, lists and finds a table by id or by name in any case', () => {
    const { tables, staff } = setup();
    expect(staff).toMatchObject({ name: 'Staff', columns: staffColumns, rowCount: 0 });
    tables.create({ name: 'Audit', columns: [{ name: 'event', type: 'text' }] });
    expect(tables.list().map((t) => t.name)).toEqual(['Audit', 'Staff']);
    expect(tables.get(staff.id).name).toBe('Staff');
    expect(tables.get('sTaFf').id).toBe(staff.id);
  });

  it('refuses a second table with the same name, whatever the case', () => {
    const { tables } = setup();
    const error = caught(() => tables.create({ name: ' staff ', columns: [{ name: 'x', type: 'text' }] }));
    expect(error.code).toBe('TABLE_EXISTS');
    expect(error.message).toContain('"staff"');
  });

  it('refuses bad columns with a message naming the column', () => {
    const { tables } = setup();
    expect(
      caught(() => tables.create({ name: 'A', columns: [{ name: 'x', type: 'money' as 'text' }] })).message,
    ).toMatch(/Column 1 .*text, number/);
    expect(
      caught(() =>
        tables.create({
          name: 'B',
          columns: [
            { name: 'Mail', type: 'text' },
            { name: 'mail', type: 'text' },
          ],
        }),
      ).message,
    ).toContain('two columns named "mail"');
    expect(caught(() => tables.create({ name: 'C', columns: [] })).code).toBe('TABLE_COLUMNS_INVALID');
  });

  it('says which tables exist when one is not found', () => {
    const { tables } = setup();
    const error = caught(() => tables.get('Leavers'));
    expect(error.code).toBe('TABLE_NOT_FOUND');
    expect(error.message).toContain('"Leavers"');
    expect(error.message).toContain('"Staff"');
  });

  it('deletes a table with its rows, and reports a missing one as not deleted', () => {
    const { db, tables, staff } = setup();
    seedStaff(tables, staff.id);
    expect(tables.delete({ tableId: 'Staff' })).toEqual({ deleted: true });
    expect(tables.delete({ tableId: 'Staff' })).toEqual({ deleted: false });
    expect(db.prepare('SELECT count(*) FROM data_table_rows').pluck().get()).toBe(0);
  });

  it('clears the rows and keeps the columns', () => {
    const { tables, staff } = setup();
    seedStaff(tables, staff.id);
    expect(tables.clear({ tableId: staff.id })).toEqual({ removed: 4 });
    expect(tables.get(staff.id)).toMatchObject({ rowCount: 0, columns: staffColumns });
  });
});

describe('TableService: rows', () => {
  it('adds rows and reads them back with every column, empty ones as null', () => {
    const { tables, staff } = setup();
    const [first] = seedStaff(tables, staff.id);
    const row = tables.getRow('Staff', first!);
    expect(row).toEqual({
      id: first,
      values: {
        email: 'ana@example.com',
        age: 34,
        active: true,
        'start date': '2024-01-15',
        groups: ['HR', 'All'],
        manager: null,
      },
    });
    expect(tables.get(staff.id).rowCount).toBe(4);
    expect(tables.getRow(staff.id, 'no-such-row')).toBeUndefined();
  });

  it('converts numeric text for a number column, as CSV imports give it', () => {
    const { tables, staff } = setup();
    const [id] = tables.insertRows({ tableId: staff.id, rows: [{ age: ' 42 ', active: 'true' }] }).ids;
    expect(tables.getRow(staff.id, id!)?.values).toMatchObject({ age: 42, active: true });
  });

  it('names the row, column, expected and actual type of a wrong value', () => {
    const { tables, staff } = setup();
    const error = caught(() => tables.insertRows({ tableId: staff.id, rows: [{ age: 1 }, { age: 'forty' }] }));
    expect(error.code).toBe('TABLE_VALUE_TYPE');
    expect(error.message).toBe('Row 2: column "age" of table "Staff" expects a number, got text ("forty").');
    expect(error.details).toMatchObject({ row: 2, column: 'age', expected: 'number', actual: 'text' });
    expect(
      caught(() => tables.insertRows({ tableId: staff.id, rows: [{ 'start date': 'next monday' }] })).message,
    ).toContain('expects a date');
    expect(caught(() => tables.insertRows({ tableId: staff.id, rows: [{ groups: 'HR' }] })).message).toContain(
      'expects a list',
    );
    expect(caught(() => tables.insertRows({ tableId: staff.id, rows: [{ manager: ['x'] }] })).message).toContain(
      'expects an object',
    );
  });

  it('refuses a column the table does not have, listing the real ones', () => {
    const { tables, staff } = setup();
    const error = caught(() => tables.insertRows({ tableId: staff.id, rows: [{ mail: 'x' }] }));
    expect(error.code).toBe('TABLE_UNKNOWN_COLUMN');
    expect(error.message).toContain('Row 1');
    expect(error.message).toContain('no column "mail"');
    expect(error.message).toContain('"email", "age"');
  });

  it('inserts nothing when any row of a batch is bad', () => {
    const { tables, staff } = setup();
    const rows = [{ email: 'a@x' }, { email: 'b@x' }, { age: 'old' }];
    expect(() => tables.insertRows({ tableId: staff.id, rows })).toThrow(/Row 3/);
    expect(tables.get(staff.id).rowCount).toBe(0);
  });

  it('updates only the given columns, and null empties a column', () => {
    const { tables, staff } = setup();
    const [id] = seedStaff(tables, staff.id);
    const row = tables.updateRow({ tableId: staff.id, rowId: id!, values: { age: '35', groups: null } });
    expect(row.values).toMatchObject({ email: 'ana@example.com', age: 35, groups: null, active: true });
    expect(tables.getRow(staff.id, id!)).toEqual(row);
  });

  it('reports an update of a missing row or with a bad value, leaving the row as it was', () => {
    const { tables, staff } = setup();
    const [id] = seedStaff(tables, staff.id);
    expect(caught(() => tables.updateRow({ tableId: staff.id, rowId: 'gone', values: { age: 1 } })).code).toBe(
      'TABLE_ROW_NOT_FOUND',
    );
    expect(caught(() => tables.updateRow({ tableId: staff.id, rowId: id!, values: { age: true } })).code).toBe(
      'TABLE_VALUE_TYPE',
    );
    expect(tables.getRow(staff.id, id!)?.values['age']).toBe(34);
  });

  it('deletes the rows that exist and counts them', () => {
    const { tables, staff } = setup();
    const [a, b] = seedStaff(tables, staff.id);
    expect(tables.deleteRows({ tableId: staff.id, rowIds: [a!, b!, 'unknown'] })).toEqual({ removed: 2 });
    expect(tables.get(staff.id).rowCount).toBe(2);
  });

  it('inserts 100,000 rows in one call, each findable afterwards', () => {
    const { tables, staff } = setup();
    const rows = Array.from({ length: 100_000 }, (_, i) => ({
      email: `user${i}@example.com`,
      age: i % 90,
      active: i % 2 === 0,
    }));
    const { ids } = tables.insertRows({ tableId: staff.id, rows });
    expect(ids).toHaveLength(100_000);
    expect(new Set(ids).size).toBe(100_000);
    expect(
      tables.query({ tableId: staff.id, filters: [{ column: 'email', op: 'eq', value: 'user99999@example.com' }] })
        .total,
    ).toBe(1);
  });
});

describe('TableService: queries', () => {
  function emails(result: { rows: { values: Record<string, unknown> }[] }) {
    return result.rows.map((r) => r.values['email']);
  }

  it('returns rows in the order they were added, with the total', () => {
    const { tables, staff } = setup();
    seedStaff(tables, staff.id);
    const result = tables.query({ tableId: staff.id });
    expect(result.total).toBe(4);
    expect(emails(result)).toEqual(['ana@example.com', 'ben@example.com', 'Cleo@Example.com', '']);
  });

  it.each([
    [{ column: 'email', op: 'eq', value: 'ben@example.com' }, ['ben@example.com']],
    [{ column: 'email', op: 'ne', value: 'ben@example.com' }, ['ana@example.com', 'Cleo@Example.com', '']],
    [{ column: 'age', op: 'lt', value: 28 }, ['']],
    [{ column: 'age', op: 'lte', value: '28' }, ['ben@example.com', '']],
    [{ column: 'age', op: 'gt', value: 34 }, ['Cleo@Example.com']],
    [{ column: 'age', op: 'gte', value: 34 }, ['ana@example.com', 'Cleo@Example.com']],
    [{ column: 'email', op: 'contains', value: 'EXAMPLE' }, ['ana@example.com', 'ben@example.com', 'Cleo@Example.com']],
    [{ column: 'email', op: 'startsWith', value: 'cl' }, ['Cleo@Example.com']],
    [{ column: 'email', op: 'empty' }, ['']],
    [{ column: 'email', op: 'notEmpty' }, ['ana@example.com', 'ben@example.com', 'Cleo@Example.com']],
    [{ column: 'active', op: 'eq', value: true }, ['ana@example.com', 'Cleo@Example.com']],
    [{ column: 'active', op: 'empty' }, ['']],
    [{ column: 'start date', op: 'gte', value: '2024-01-01' }, ['ana@example.com', 'Cleo@Example.com']],
    [{ column: 'groups', op: 'contains', value: 'HR' }, ['ana@example.com']],
    [{ column: 'groups', op: 'empty' }, ['Cleo@Example.com', '']],
    [{ column: 'manager', op: 'notEmpty' }, ['Cleo@Example.com']],
    [{ column: 'manager', op: 'eq', value: { email: 'ana@example.com' } }, ['Cleo@Example.com']],
  ] as const)('filters with %o', (filter, expected) => {
    const { tables, staff } = setup();
    seedStaff(tables, staff.id);
    const result = tables.query({ tableId: staff.id, filters: [filter] });
    expect(emails(result)).toEqual(expected);
    expect(result.total).toBe(expected.length);
  });

  it('combines filters: a row must meet all of them', () => {
    const { tables, staff } = setup();
    seedStaff(tables, staff.id);
    const result = tables.query({
      tableId: staff.id,
      filters: [
        { column: 'active', op: 'eq', value: true },
        { column: 'age', op: 'gt', value: 40 },
      ],
    });
    expect(emails(result)).toEqual(['Cleo@Example.com']);
  });

  it('treats filter values as data, never as SQL', () => {
    const { tables, staff } = setup();
    seedStaff(tables, staff.id);
    const result = tables.query({ tableId: staff.id, filters: [{ column: 'email', op: 'eq', value: "x' OR 1=1 --" }] });
    expect(result.total).toBe(0);
    expect(tables.get(staff.id).rowCount).toBe(4);
  });

  it('sorts text ignoring case, numbers by value, empty values last, and pages through the result', () => {
    const { tables, staff } = setup();
    seedStaff(tables, staff.id);
    tables.insertRows({ tableId: staff.id, rows: [{ email: 'zed@example.com' }] });
    expect(emails(tables.query({ tableId: staff.id, sort: { column: 'email', direction: 'asc' } }))).toEqual([
      '',
      'ana@example.com',
      'ben@example.com',
      'Cleo@Example.com',
      'zed@example.com',
    ]);
    const byAge = tables.query({ tableId: staff.id, sort: { column: 'age', direction: 'desc' } });
    expect(byAge.rows.map((r) => r.values['age'])).toEqual([45, 34, 28, 19, null]);
    const page = tables.query({ tableId: staff.id, sort: { column: 'age', direction: 'asc' }, offset: 1, limit: 2 });
    expect(page.rows.map((r) => r.values['age'])).toEqual([28, 34]);
    expect(page.total).toBe(5);
  });

  it('names an unknown filter or sort column and lists the real ones', () => {
    const { tables, staff } = setup();
    const error = caught(() =>
      tables.query({ tableId: staff.id, filters: [{ column: 'Email', op: 'eq', value: 'x' }] }),
    );
    expect(error.code).toBe('TABLE_UNKNOWN_COLUMN');
    expect(error.message).toContain('no column "Email"');
    expect(error.message).toContain('"email"');
    expect(caught(() => tables.query({ tableId: staff.id, sort: { column: 'salary', direction: 'asc' } })).code).toBe(
      'TABLE_UNKNOWN_COLUMN',
    );
  });

  it('explains filters that cannot work', () => {
    const { tables, staff } = setup();
    const query = (filter: object) => caught(() => tables.query({ tableId: staff.id, filters: [filter as never] }));
    expect(query({ column: 'age', op: 'gt', value: 'old' }).code).toBe('TABLE_VALUE_TYPE');
    expect(query({ column: 'age', op: 'gt' }).message).toContain('needs a value');
    expect(query({ column: 'groups', op: 'lt', value: 'x' }).message).toContain('cannot be compared');
    expect(query({ column: 'age', op: 'between', value: 1 }).message).toContain('Use one of eq, ne');
  });
});
