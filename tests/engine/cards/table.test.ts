import { describe, expect, it } from 'vitest';
import { tableImplementations } from '../../../src/engine/cards/table.js';
import type { CardContext, CardImplementation, CardOutputs } from '../../../src/engine/cards/types.js';
import { TableService } from '../../../src/engine/services/table-service.js';
import { tableCards } from '../../../src/shared/cards/catalog/table.js';
import { useTempDatabases } from '../store/temp-database.js';

const temp = useTempDatabases();

function setup() {
  const tables = new TableService(temp.open());
  const ctx = { services: { tables } } as unknown as CardContext;
  const run = (type: string, inputs: Record<string, unknown>) => {
    const impl = tableImplementations.find((i) => i.descriptor.type === type) as CardImplementation;
    return impl.run(inputs, ctx) as CardOutputs;
  };
  const { tableId } = run('table.create', {
    name: 'Leavers',
    columns: [
      { name: 'email', type: 'text' },
      { name: 'last day', type: 'date' },
      { name: 'done', type: 'boolean' },
    ],
  });
  return { tables, run, tableId: tableId as string };
}

describe('table cards', () => {
  it('has one implementation per descriptor, with reads nondeterministic and writes transactional side effects', () => {
    expect(tableImplementations.map((i) => i.descriptor.type)).toEqual(tableCards.map((d) => d.type));
    for (const impl of tableImplementations) {
      const reads = ['table.readRow', 'table.search'].includes(impl.descriptor.type);
      expect(impl.descriptor.effect).toBe(reads ? 'nondeterministic' : 'sideEffect');
      expect(impl.transactional ?? false).toBe(!reads);
    }
  });

  it('creates a table the other cards can use by name', () => {
    const { tables, run, tableId } = setup();
    expect(tables.get('leavers').id).toBe(tableId);
    expect(() => run('table.create', { name: 'LEAVERS', columns: [{ name: 'x', type: 'text' }] })).toThrow(
      expect.objectContaining({ code: 'TABLE_EXISTS' }),
    );
  });

  it('explains a column list that is not made of name and type objects', () => {
    const { run } = setup();
    expect(() => run('table.create', { name: 'Bad', columns: ['email'] })).toThrow(
      /Column 1 of table "Bad" is not valid/,
    );
  });

  it('creates, reads, updates and deletes a row', () => {
    const { run } = setup();
    const { rowId } = run('table.createRow', {
      table: 'Leavers',
      values: { email: 'ana@example.com', 'last day': '2025-07-31' },
    });
    expect(run('table.readRow', { table: 'Leavers', rowId })).toEqual({
      found: true,
      row: { id: rowId, values: { email: 'ana@example.com', 'last day': '2025-07-31', done: null } },
    });
    const { row } = run('table.updateRow', { table: 'Leavers', rowId, values: { done: true } });
    expect(row).toMatchObject({ values: { email: 'ana@example.com', done: true } });
    expect(run('table.deleteRow', { table: 'Leavers', rowId })).toEqual({ deleted: true });
    expect(run('table.deleteRow', { table: 'Leavers', rowId })).toEqual({ deleted: false });
    expect(run('table.readRow', { table: 'Leavers', rowId })).toEqual({ found: false, row: null });
  });

  it('refuses a row value of the wrong type, naming the column', () => {
    const { run, tables, tableId } = setup();
    expect(() => run('table.createRow', { table: tableId, values: { 'last day': 'soon' } })).toThrow(
      /column "last day" .* expects a date, got text/,
    );
    expect(tables.get(tableId).rowCount).toBe(0);
  });

  it('searches with filters and a limit, counting every match', () => {
    const { run, tables, tableId } = setup();
    tables.insertRows({
      tableId,
      rows: Array.from({ length: 150 }, (_, i) => ({ email: `user${i}@example.com`, done: i % 3 === 0 })),
    });
    const open = run('table.search', {
      table: 'Leavers',
      filters: [{ column: 'done', op: 'eq', value: false }],
      limit: 10,
    });
    expect(open['count']).toBe(100);
    expect(open['rows']).toHaveLength(10);
    expect((open['rows'] as { values: { email: string } }[])[0]?.values.email).toBe('user1@example.com');
    const all = run('table.search', { table: 'Leavers' });
    expect(all['count']).toBe(150);
    expect(all['rows']).toHaveLength(100);
  });

  it('explains a malformed filter or limit', () => {
    const { run } = setup();
    expect(() => run('table.search', { table: 'Leavers', filters: ['email = x'] })).toThrow(
      /Filter 1 must be an object with a `column` and an `op`/,
    );
    expect(() => run('table.search', { table: 'Leavers', filters: { column: 'email' } })).toThrow(/must be a list/);
    expect(() => run('table.search', { table: 'Leavers', limit: 0 })).toThrow(/from 1 to 10,000/);
    expect(() =>
      run('table.search', { table: 'Leavers', filters: [{ column: 'mail', op: 'eq', value: 'x' }] }),
    ).toThrow(expect.objectContaining({ code: 'TABLE_UNKNOWN_COLUMN' }));
  });

  it('clears a table and says how many rows went', () => {
    const { run, tables, tableId } = setup();
    tables.insertRows({ tableId, rows: [{ email: 'a@x' }, { email: 'b@x' }] });
    expect(run('table.clear', { table: 'Leavers' })).toEqual({ removed: 2 });
  });

  it('asks for a table when none is given, and names the missing one', () => {
    const { run } = setup();
    expect(() => run('table.clear', {})).toThrow(expect.objectContaining({ code: 'INPUT_REQUIRED' }));
    expect(() => run('table.readRow', { table: 'Joiners', rowId: 'x' })).toThrow(/no table named or with id "Joiners"/);
  });
});
