import { randomUUID } from 'node:crypto';
import { timeOrderedId } from '../store/row-id.js';
import type Database from 'better-sqlite3';
import type {
  ApiInput,
  ApiOutput,
  ColumnIndex,
  RowFilter,
  TableColumn,
  TableInfo,
  TableRow,
} from '../../shared/api/contract.js';
import { rowFilterSchema, tableColumnSchema } from '../../shared/api/contract.js';
import { FlowsteadError } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/flow/schema.js';
import { coerceValue, describeType, describeValue } from '../../shared/values.js';
import type { TextLookup } from './table-indexes.js';
import {
  checkIndexable,
  columnIndex,
  createColumnIndex,
  createTextLookup,
  dropColumnIndex,
  indexKey,
  violatedColumn,
} from './table-indexes.js';

export type { TextLookup } from './table-indexes.js';

type RowValues = Record<string, JsonValue>;
type ColumnType = TableColumn['type'];
/** A filter as the API sends it or as a flow builds it (values not yet known to be JSON). */
type FilterInput = { column: string; op: RowFilter['op']; value?: unknown };

interface TableRecord {
  id: string;
  name: string;
  columns: TableColumn[];
  createdAt: string;
}

interface TableDbRow {
  id: string;
  name: string;
  columns: string;
  created_at: string;
}

const FILTER_OPS = rowFilterSchema.shape.op.options;

/**
 * Data tables: named, typed columns with rows kept as JSON in SQLite. Every change that touches
 * more than one row is a single transaction, so a bad row in a bulk insert leaves nothing behind.
 * Text and number columns may be indexed or unique (see table-indexes.ts).
 */
export class TableService {
  private readonly insertRow: Database.Statement;
  private readonly nextSeq: Database.Statement;
  private readonly rowAt: Database.Statement;
  private readonly tableByIdOrName: Database.Statement;

  constructor(private readonly db: Database.Database) {
    // Cards look tables up on every row of a bulk run: prepare once.
    this.tableByIdOrName = db.prepare(
      'SELECT * FROM data_tables WHERE id = ? UNION ALL SELECT * FROM data_tables WHERE name = ? COLLATE NOCASE LIMIT 1',
    );
    this.insertRow = db.prepare('INSERT INTO data_table_rows (table_id, id, seq, "values") VALUES (?, ?, ?, ?)');
    this.rowAt = db.prepare('SELECT 1 FROM data_table_rows WHERE table_id = ? ORDER BY seq LIMIT 1 OFFSET ?').pluck();
    this.nextSeq = db
      .prepare('SELECT coalesce(max(seq), 0) + 1 AS next FROM data_table_rows WHERE table_id = ?')
      .pluck();
  }

  list(): TableInfo[] {
    const rows = this.db.prepare('SELECT * FROM data_tables ORDER BY name COLLATE NOCASE').all() as TableDbRow[];
    return rows.map((row) => this.info(toRecord(row)));
  }

  create({ name, columns }: ApiInput<'tables.create'>): TableInfo {
    const tableName = typeof name === 'string' ? name.trim() : '';
    if (tableName === '' || tableName.length > 200) {
      throw new FlowsteadError('TABLE_NAME_INVALID', 'Give the table a name of 1 to 200 characters.', { name });
    }
    const checked = checkColumns(tableName, columns);
    if (this.findTable(tableName)) {
      throw new FlowsteadError(
        'TABLE_EXISTS',
        `A table named "${tableName}" already exists. Choose another name or use the existing table.`,
        {
          name: tableName,
        },
      );
    }
    const record: TableRecord = {
      id: randomUUID(),
      name: tableName,
      columns: checked,
      createdAt: new Date().toISOString(),
    };
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO data_tables (id, name, columns, created_at) VALUES (?, ?, ?, ?)')
        .run(record.id, record.name, JSON.stringify(record.columns), record.createdAt);
      for (const column of record.columns) createColumnIndex(this.db, record, column);
    })();
    return { ...record, rowCount: 0 };
  }

  /**
   * Adds, changes or removes one column's index, with the stored columns, in one transaction:
   * when a unique index meets duplicates nothing changes and the error names one of them.
   */
  setColumnIndex({ tableId, column, index }: ApiInput<'tables.setColumnIndex'>): TableInfo {
    const table = this.requireTable(tableId);
    const current = requireColumn(table, column);
    if (columnIndex(current) === index) return this.info(table);
    const changed = withIndex(current, index);
    checkIndexable(table.name, changed);
    const columns = table.columns.map((c) => (c === current ? changed : c));
    this.db.transaction(() => {
      createColumnIndex(this.db, table, changed);
      this.db.prepare('UPDATE data_tables SET columns = ? WHERE id = ?').run(JSON.stringify(columns), table.id);
    })();
    return this.info({ ...table, columns });
  }

  /** Finds a table by id or by name (names ignore case), as flows refer to tables either way. */
  get(tableId: string): TableInfo {
    return this.info(this.requireTable(tableId));
  }

  delete({ tableId }: ApiInput<'tables.delete'>): ApiOutput<'tables.delete'> {
    const table = this.findTable(tableId);
    if (!table) return { deleted: false };
    this.db.transaction(() => {
      // Every column, not only the indexed ones: a leftover index would slow every row insert.
      for (const column of table.columns) dropColumnIndex(this.db, table.id, column.name);
      // Rows go with the table through the foreign key's ON DELETE CASCADE, in the same statement.
      this.db.prepare('DELETE FROM data_tables WHERE id = ?').run(table.id);
    })();
    return { deleted: true };
  }

  clear({ tableId }: ApiInput<'tables.clear'>): ApiOutput<'tables.clear'> {
    const table = this.requireTable(tableId);
    const { changes } = this.db.prepare('DELETE FROM data_table_rows WHERE table_id = ?').run(table.id);
    return { removed: changes };
  }

  query(query: ApiInput<'tables.query'>): ApiOutput<'tables.query'> {
    const table = this.requireTable(query.tableId);
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 100;
    if (!Number.isInteger(offset) || offset < 0) {
      throw new FlowsteadError('TABLE_QUERY_INVALID', `The offset must be a whole number of 0 or more, got ${offset}.`);
    }
    if (!Number.isInteger(limit) || limit < 1) {
      throw new FlowsteadError('TABLE_QUERY_INVALID', `The limit must be a whole number of 1 or more, got ${limit}.`);
    }
    const where = ['table_id = ?'];
    const params: unknown[] = [table.id];
    (query.filters ?? []).forEach((filter, index) => {
      const condition = filterCondition(table, filter, index + 1);
      where.push(condition.sql);
      params.push(...condition.params);
    });
    const whereSql = where.join(' AND ');
    const total = this.db
      .prepare(`SELECT count(*) FROM data_table_rows WHERE ${whereSql}`)
      .pluck()
      .get(...params) as number;

    let orderSql = 'seq';
    const orderParams: unknown[] = [];
    if (query.sort) {
      requireColumn(table, query.sort.column);
      const direction = query.sort.direction === 'desc' ? 'DESC' : 'ASC';
      // Empty values sort last either way; text ignores case, the way a spreadsheet sorts.
      orderSql = `json_extract("values", ?) IS NULL, json_extract("values", ?) COLLATE NOCASE ${direction}, seq`;
      orderParams.push(jsonPath(query.sort.column), jsonPath(query.sort.column));
    }
    const rows = this.db
      .prepare(`SELECT id, "values" FROM data_table_rows WHERE ${whereSql} ORDER BY ${orderSql} LIMIT ? OFFSET ?`)
      .all(...params, ...orderParams, limit, offset) as { id: string; values: string }[];
    return { rows: rows.map((row) => toTableRow(table, row)), total };
  }

  /**
   * Every text value of one column, in row order, without counting or paging: for cards that
   * read a whole column once (existing addresses to avoid), where a million rows must be quick.
   */
  columnText(tableId: string, column: string): string[] {
    const table = this.requireTable(tableId);
    requireColumn(table, column);
    return (
      this.db
        .prepare(`SELECT json_extract("values", ?) FROM data_table_rows WHERE table_id = ? ORDER BY seq`)
        .pluck()
        .all(jsonPath(column), table.id) as unknown[]
    ).filter((value): value is string => typeof value === 'string');
  }

  /**
   * A prepared lookup on an indexed text column (case-insensitive); undefined when the column is
   * not text or has no index. Prepared once per call: keep it for a whole run.
   */
  textLookup(tableId: string, column: string): TextLookup | undefined {
    const table = this.requireTable(tableId);
    const found = requireColumn(table, column);
    if (found.type !== 'text' || columnIndex(found) === 'none') return undefined;
    return createTextLookup(this.db, table.id, found);
  }

  /** Whether the table has more than `count` rows, without counting them all (a million rows take 70 ms to count). */
  hasMoreRowsThan(tableId: string, count: number): boolean {
    const table = this.requireTable(tableId);
    return this.rowAt.get(table.id, count) !== undefined;
  }

  /**
   * Adds one row at a time to a table found once: for cards that append a row per bulk-run row
   * inside the executor's transaction. Same checks and errors as `insertRows`; returns the row id.
   */
  rowAppender(tableId: string): (values: Record<string, unknown>) => string {
    const table = this.requireTable(tableId);
    const columns = columnMap(table);
    return (values) => this.addRow(table, columns, [values], 0, this.nextSeq.get(table.id) as number);
  }

  insertRows({ tableId, rows }: ApiInput<'tables.insertRows'>): ApiOutput<'tables.insertRows'> {
    const table = this.requireTable(tableId);
    const columns = columnMap(table);
    const ids: string[] = [];
    this.db.transaction(() => {
      const seq = this.nextSeq.get(table.id) as number;
      for (let index = 0; index < rows.length; index++) {
        ids.push(this.addRow(table, columns, rows, index, seq + index));
      }
    })();
    return { ids };
  }

  /** Checks and inserts row `index` of a batch; returns its id. */
  private addRow(
    table: TableRecord,
    columns: Map<string, ColumnType>,
    batch: readonly unknown[],
    index: number,
    seq: number,
  ): string {
    const checked = checkValues(table, columns, batch[index], { row: index + 1 });
    const id = timeOrderedId();
    try {
      this.insertRow.run(table.id, id, seq, JSON.stringify(checked));
    } catch (error) {
      // The unique index is the check: no query per row, and the caller's transaction undoes the batch.
      const earlier = (column: TableColumn) =>
        earlierRowWith(table, columns, batch.slice(0, index), column, checked[column.name]);
      throw notUnique(error, table, checked, { row: index + 1 }, earlier);
    }
    return id;
  }

  /** The row, or undefined when the table has no row with that id. */
  getRow(tableId: string, rowId: string): TableRow | undefined {
    const table = this.requireTable(tableId);
    const row = this.db
      .prepare('SELECT id, "values" FROM data_table_rows WHERE table_id = ? AND id = ?')
      .get(table.id, rowId) as { id: string; values: string } | undefined;
    return row ? toTableRow(table, row) : undefined;
  }

  /** Changes only the given columns; `null` empties a column. */
  updateRow({ tableId, rowId, values }: ApiInput<'tables.updateRow'>): TableRow {
    const table = this.requireTable(tableId);
    return this.db.transaction(() => {
      const current = this.getRow(table.id, rowId);
      if (!current) {
        throw new FlowsteadError(
          'TABLE_ROW_NOT_FOUND',
          `Table "${table.name}" has no row with id ${rowId}. It may have been deleted.`,
          {
            table: table.name,
            rowId,
          },
        );
      }
      const changes = checkValues(table, columnMap(table), values, { rowId }, true);
      const merged: RowValues = {};
      for (const [name, value] of Object.entries({ ...current.values, ...changes })) {
        if (value !== null) merged[name] = value;
      }
      try {
        this.db
          .prepare('UPDATE data_table_rows SET "values" = ? WHERE table_id = ? AND id = ?')
          .run(JSON.stringify(merged), table.id, rowId);
      } catch (error) {
        throw notUnique(error, table, merged, { rowId });
      }
      return toTableRow(table, { id: rowId, values: JSON.stringify(merged) });
    })();
  }

  deleteRows({ tableId, rowIds }: ApiInput<'tables.deleteRows'>): ApiOutput<'tables.deleteRows'> {
    const table = this.requireTable(tableId);
    const remove = this.db.prepare('DELETE FROM data_table_rows WHERE table_id = ? AND id = ?');
    let removed = 0;
    this.db.transaction(() => {
      for (const rowId of rowIds) removed += remove.run(table.id, rowId).changes;
    })();
    return { removed };
  }

  private findTable(idOrName: string): TableRecord | undefined {
    const row = this.tableByIdOrName.get(idOrName, idOrName) as TableDbRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  private requireTable(idOrName: string): TableRecord {
    const table = this.findTable(idOrName);
    if (table) return table;
    const names = (
      this.db.prepare('SELECT name FROM data_tables ORDER BY name COLLATE NOCASE').pluck().all() as string[]
    ).map((n) => `"${n}"`);
    throw new FlowsteadError(
      'TABLE_NOT_FOUND',
      `There is no table named or with id "${idOrName}". ${names.length > 0 ? `Existing tables: ${names.join(', ')}.` : 'No tables exist yet.'}`,
      { table: idOrName },
    );
  }

  private info(table: TableRecord): TableInfo {
    const rowCount = this.db
      .prepare('SELECT count(*) FROM data_table_rows WHERE table_id = ?')
      .pluck()
      .get(table.id) as number;
    return { ...table, rowCount };
  }
}

/** What a unique index refused, as an error naming the row, the column and the value. */
function notUnique(
  error: unknown,
  table: TableRecord,
  values: RowValues,
  site: ValueSite,
  earlierRow?: (column: TableColumn) => number | undefined,
): unknown {
  const column = violatedColumn(error, table.id, table.columns);
  if (!column) return error;
  const value = values[column.name] ?? null;
  const earlier = earlierRow?.(column);
  const where = earlier === undefined ? 'the table' : `row ${earlier} of the rows being added`;
  const ignoringCase = column.type === 'text' ? ' (ignoring case)' : '';
  return new FlowsteadError(
    'TABLE_VALUE_NOT_UNIQUE',
    `${siteLabel(site)}: column "${column.name}" is unique and ${JSON.stringify(value)} is already in ${where}${ignoringCase}. Change the value or remove the row.`,
    { ...site, table: table.name, column: column.name, value },
  );
}

/** The number of an earlier row of the batch with the same indexed value (only run when an insert failed). */
function earlierRowWith(
  table: TableRecord,
  columns: Map<string, ColumnType>,
  earlierRows: readonly unknown[],
  column: TableColumn,
  value: JsonValue | undefined,
): number | undefined {
  const key = indexKey(column, value);
  const found = earlierRows.findIndex(
    (row, index) => indexKey(column, checkValues(table, columns, row, { row: index + 1 })[column.name]) === key,
  );
  return found === -1 ? undefined : found + 1;
}

function withIndex(column: TableColumn, index: ColumnIndex): TableColumn {
  const { index: _old, ...rest } = column;
  // 'none' is stored as no index at all, as in tables made before indexes existed.
  return index === 'none' ? rest : { ...rest, index };
}

function toRecord(row: TableDbRow): TableRecord {
  return { id: row.id, name: row.name, columns: JSON.parse(row.columns) as TableColumn[], createdAt: row.created_at };
}

/** Every column appears in a row read back, empty ones as null, so flows can rely on the shape. */
function toTableRow(table: TableRecord, row: { id: string; values: string }): TableRow {
  const stored = JSON.parse(row.values) as RowValues;
  const values: RowValues = {};
  for (const column of table.columns) values[column.name] = stored[column.name] ?? null;
  return { id: row.id, values };
}

function checkColumns(tableName: string, columns: unknown): TableColumn[] {
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new FlowsteadError(
      'TABLE_COLUMNS_INVALID',
      `Table "${tableName}" needs at least one column, each with a name and a type.`,
    );
  }
  const seen = new Set<string>();
  return columns.map((column: unknown, index) => {
    const parsed = tableColumnSchema.safeParse(column);
    if (!parsed.success) {
      const types = tableColumnSchema.shape.type.options.join(', ');
      throw new FlowsteadError(
        'TABLE_COLUMNS_INVALID',
        `Column ${index + 1} of table "${tableName}" is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'} Each column needs a name and one of the types ${types}.`,
        { column: index + 1 },
      );
    }
    const key = parsed.data.name.toLowerCase();
    if (seen.has(key)) {
      throw new FlowsteadError(
        'TABLE_COLUMNS_INVALID',
        `Table "${tableName}" has two columns named "${parsed.data.name}". Column names must differ.`,
        {
          column: parsed.data.name,
        },
      );
    }
    seen.add(key);
    const checked = withIndex({ name: parsed.data.name, type: parsed.data.type }, columnIndex(parsed.data));
    checkIndexable(tableName, checked);
    return checked;
  });
}

function columnMap(table: TableRecord): Map<string, ColumnType> {
  return new Map(table.columns.map((c) => [c.name, c.type]));
}

function requireColumn(table: TableRecord, column: string): TableColumn {
  const found = table.columns.find((c) => c.name === column);
  if (found) return found;
  throw unknownColumn(table, column);
}

function unknownColumn(table: TableRecord, column: string, where?: string): FlowsteadError {
  const real = table.columns.map((c) => `"${c.name}"`).join(', ');
  return new FlowsteadError(
    'TABLE_UNKNOWN_COLUMN',
    `${where ? `${where}: t` : 'T'}able "${table.name}" has no column "${column}". Its columns are ${real}.`,
    { table: table.name, column, columns: table.columns.map((c) => c.name) },
  );
}

/** Where a value came from, for messages: a row number in a batch, a row id, or a filter. */
type ValueSite = { row: number } | { rowId: string } | { filter: number };

function siteLabel(site: ValueSite): string {
  if ('row' in site) return `Row ${site.row}`;
  if ('rowId' in site) return `Row ${site.rowId}`;
  return `Filter ${site.filter}`;
}

/** Checks a row's values against the column types, converting where an admin would expect it. */
function checkValues(
  table: TableRecord,
  columns: Map<string, ColumnType>,
  values: unknown,
  site: ValueSite,
  keepNulls = false,
): RowValues {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new FlowsteadError(
      'TABLE_VALUE_TYPE',
      `${siteLabel(site)}: the row values must be an object of column names and values, got ${describeValue(values)}.`,
      { ...site },
    );
  }
  const checked: RowValues = {};
  for (const column in values) {
    const value = (values as Record<string, unknown>)[column];
    const type = columns.get(column);
    if (!type) throw unknownColumn(table, column, siteLabel(site));
    if (value === null || value === undefined) {
      if (keepNulls) checked[column] = null;
      continue;
    }
    checked[column] = convertValue(table, column, type, value, site);
  }
  return checked;
}

function convertValue(
  table: TableRecord,
  column: string,
  type: ColumnType,
  value: unknown,
  site: ValueSite,
): JsonValue {
  // Fast path for values that already have the column's type: bulk inserts of 100,000 rows are common.
  if ((type === 'text' && typeof value === 'string') || (type === 'boolean' && typeof value === 'boolean'))
    return value;
  if (type === 'number' && typeof value === 'number' && Number.isFinite(value)) return value;
  let converted: unknown;
  try {
    converted = coerceValue(value, type, { node: table.name, input: column });
  } catch {
    converted = undefined;
  }
  if (converted === undefined || (typeof converted === 'number' && !Number.isFinite(converted))) {
    throw new FlowsteadError(
      'TABLE_VALUE_TYPE',
      `${siteLabel(site)}: column "${column}" of table "${table.name}" expects ${describeType(type)}, got ${describeValue(value)} (${preview(value)}).`,
      { ...site, table: table.name, column, expected: type, actual: describeValue(value) },
    );
  }
  return converted as JsonValue;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A JSON path for a column; names are restricted to letters, digits, _ and spaces, so quoting is safe. */
function jsonPath(column: string): string {
  return `$."${column}"`;
}

/** One filter as SQL with bound parameters; only the column's JSON path and the value are parameters. */
function filterCondition(table: TableRecord, filter: FilterInput, number: number): { sql: string; params: unknown[] } {
  if (!FILTER_OPS.includes(filter.op)) {
    throw new FlowsteadError(
      'TABLE_FILTER_INVALID',
      `Filter ${number} uses "${String(filter.op)}", which is not a filter. Use one of ${FILTER_OPS.join(', ')}.`,
      {
        filter: number,
      },
    );
  }
  const { type } = requireColumn(table, filter.column);
  const path = jsonPath(filter.column);
  const x = 'json_extract("values", ?)';
  switch (filter.op) {
    case 'empty':
    case 'notEmpty': {
      const empty = emptyCondition(type);
      return { sql: filter.op === 'empty' ? empty : `NOT (${empty})`, params: [path] };
    }
    case 'contains':
      if (type === 'list')
        return {
          sql: `EXISTS (SELECT 1 FROM json_each("values", ?) WHERE value = ?)`,
          params: [path, filterValue(table, filter, number, 'any')],
        };
      return {
        sql: `instr(lower(${x}), lower(?)) > 0`,
        params: [path, String(filterValue(table, filter, number, 'text'))],
      };
    case 'startsWith':
      return {
        sql: `instr(lower(${x}), lower(?)) = 1`,
        params: [path, String(filterValue(table, filter, number, 'text'))],
      };
    case 'eq':
    case 'ne': {
      const value =
        filter.value === undefined || filter.value === null ? null : filterValue(table, filter, number, type);
      // IS / IS NOT treat a missing value as a value, so "not equal to x" includes empty rows.
      const rhs = type === 'object' || type === 'list' ? 'json(?)' : '?';
      return { sql: `${x} ${filter.op === 'eq' ? 'IS' : 'IS NOT'} ${rhs}`, params: [path, value] };
    }
    default: {
      if (type === 'object' || type === 'list') {
        throw new FlowsteadError(
          'TABLE_FILTER_INVALID',
          `Filter ${number}: column "${filter.column}" holds ${describeType(type)}, which cannot be compared with ${filter.op}.`,
          {
            filter: number,
            column: filter.column,
          },
        );
      }
      const operator = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[filter.op];
      return { sql: `${x} ${operator} ?`, params: [path, filterValue(table, filter, number, type)] };
    }
  }
}

/** What "empty" means for each column type; each condition takes the column's path as its one parameter. */
function emptyCondition(type: ColumnType): string {
  const x = 'json_extract("values", ?)';
  switch (type) {
    case 'text':
    case 'date':
      return `coalesce(${x}, '') = ''`;
    case 'list':
      return `coalesce(json_array_length("values", ?), 0) = 0`;
    case 'object':
      return `coalesce(${x}, '{}') = '{}'`;
    default:
      return `${x} IS NULL`;
  }
}

/** Converts a filter's value to what SQLite holds for the column: booleans are 1/0, objects JSON text. */
function filterValue(table: TableRecord, filter: FilterInput, number: number, type: ColumnType | 'any'): unknown {
  const { value } = filter;
  if (value === undefined || value === null) {
    throw new FlowsteadError(
      'TABLE_FILTER_INVALID',
      `Filter ${number} (${filter.column} ${filter.op}) needs a value to compare with.`,
      {
        filter: number,
        column: filter.column,
      },
    );
  }
  if (type === 'any') return toSqlValue(value as JsonValue);
  const converted = convertValue(table, filter.column, type, value, { filter: number });
  return toSqlValue(converted);
}

function toSqlValue(value: JsonValue): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}
