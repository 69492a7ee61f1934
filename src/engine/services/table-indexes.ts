import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { INDEXABLE_COLUMN_TYPES, type ColumnIndex, type TableColumn } from '../../shared/api/contract.js';
import { FlowsteadError } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/flow/schema.js';
import { RangeReader, type RangeSummary, type SummaryAnswer } from './range-reader.js';

/*
 * Per-column indexes of data tables. The rows of every table share data_table_rows, so each
 * column index is a partial expression index over one table's rows. SQLite uses such an index
 * only when a query repeats the index's WHERE term literally (a bound parameter does not match)
 * and compares the same expression text, which is why both are written here and nowhere else.
 */

/** A prepared lookup on an indexed text column; keep it for a whole run, each probe is one indexed query. */
export interface TextLookup {
  /** Whether a row holds exactly this value, ignoring ASCII case. */
  has(value: string): boolean;
  /** Whether a row's value starts with this prefix, ignoring ASCII case (an index range scan). */
  hasPrefix(prefix: string): boolean;
  /** Every value (lower case) from `from` (included) to `to` (excluded), read from the index alone. */
  valuesInRange(from: string, to: string): string[];
  /**
   * Starts reading these ranges on another thread (a database file only), so `valuesInRange` finds
   * them read when asked for; with a summary, `summaryInRange` finds their summaries instead. The
   * answers are the same either way. The first call decides: a later one with another summary
   * reads nothing ahead.
   */
  readAhead(ranges: readonly (readonly [string, string])[], summary?: RangeSummary): void;
  /** A range's summary read ahead (given once), or undefined: then read its values in place. */
  summaryInRange(from: string, to: string, summary: RangeSummary): SummaryAnswer | undefined;
  /** How many ranges were given from what was read ahead, so far. */
  readonly rangesReadAhead: number;
  /** Resolves once the ranges asked to be read ahead so far are read (or reading ahead stopped). */
  readAheadSettled(): Promise<void>;
}

export function columnIndex(column: TableColumn): ColumnIndex {
  return column.index ?? 'none';
}

/** Refuses an index on a column type that cannot have one, naming the column and the way out. */
export function checkIndexable(tableName: string, column: TableColumn): void {
  if (columnIndex(column) === 'none' || INDEXABLE_COLUMN_TYPES.includes(column.type)) return;
  throw new FlowsteadError(
    'TABLE_COLUMNS_INVALID',
    `Column "${column.name}" of table "${tableName}" holds ${column.type} values and cannot be ${column.index}: only text and number columns can. Set its index to none, or make it a text or number column.`,
    { table: tableName, column: column.name, type: column.type, index: column.index },
  );
}

/**
 * Creates the column's index (after dropping any old one). Throws TABLE_VALUE_NOT_UNIQUE, naming
 * one duplicate, when a unique index meets rows that share a value; the caller's transaction
 * then undoes the drop.
 */
export function createColumnIndex(
  db: Database.Database,
  table: { id: string; name: string },
  column: TableColumn,
): void {
  dropColumnIndex(db, table.id, column.name);
  const index = columnIndex(column);
  if (index === 'none') return;
  const unique = index === 'unique' ? 'UNIQUE ' : '';
  // table_id rides along so a lookup checks the table from the index alone (a covering index):
  // without it every probe also reads the row, which doubles its cost.
  try {
    db.exec(
      `CREATE ${unique}INDEX ${quotedIndexName(table.id, column.name)} ON data_table_rows (${indexedExpression(column)}, table_id) WHERE ${tableCondition(table.id)}`,
    );
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const value = firstDuplicate(db, table.id, column);
    throw new FlowsteadError(
      'TABLE_VALUE_NOT_UNIQUE',
      `Column "${column.name}" of table "${table.name}" cannot be unique: ${JSON.stringify(value)} is in more than one row${column.type === 'text' ? ' (ignoring case)' : ''}. Change or remove the duplicates, then try again; nothing was changed.`,
      { table: table.name, column: column.name, value },
    );
  }
}

export function dropColumnIndex(db: Database.Database, tableId: string, column: string): void {
  db.exec(`DROP INDEX IF EXISTS ${quotedIndexName(tableId, column)}`);
}

/** The unique column whose index refused a write, or undefined when the error is something else. */
export function violatedColumn(
  error: unknown,
  tableId: string,
  columns: readonly TableColumn[],
): TableColumn | undefined {
  if (!isUniqueViolation(error)) return undefined;
  const message = (error as Error).message;
  return columns.find((c) => columnIndex(c) === 'unique' && message.includes(`'${indexName(tableId, c.name)}'`));
}

/** The value an index compares, computed in JavaScript the way the index expression does in SQLite. */
export function indexKey(column: TableColumn, value: JsonValue | undefined): JsonValue {
  if (value === undefined || value === null) return null;
  if (column.type !== 'text' || typeof value !== 'string') return value;
  return value === '' ? null : asciiLower(value);
}

export function createTextLookup(db: Database.Database, tableId: string, column: TableColumn): TextLookup {
  const x = indexedExpression(column);
  // INDEXED BY: the planner would otherwise pick the (table_id, seq) index for a range.
  const from = `FROM data_table_rows INDEXED BY ${quotedIndexName(tableId, column.name)} WHERE ${tableCondition(tableId)}`;
  const equal = db.prepare(`SELECT 1 ${from} AND ${x} = ? LIMIT 1`).pluck();
  const anyBetween = db.prepare(`SELECT 1 ${from} AND ${x} >= ? AND ${x} < ? LIMIT 1`).pluck();
  const anyFrom = db.prepare(`SELECT 1 ${from} AND ${x} >= ? LIMIT 1`).pluck();
  // The selected expression is the indexed one, so SQLite answers from the index without the rows.
  const rangeSql = `SELECT ${x} ${from} AND ${x} >= ? AND ${x} < ?`;
  const valuesBetween = db.prepare(rangeSql).pluck();
  // The same query on a second connection, for the ranges of rows still to come (bulk runs); made
  // by the first read-ahead, which also says whether its answers are values or summaries.
  let ahead: RangeReader | undefined;
  const guarded = <T>(query: () => T): T => {
    try {
      return query();
    } catch (error) {
      throw lookupFailed(error, column.name);
    }
  };
  // One indexed query per probe and nothing else: the identity card probes ~150,000 times a run.
  return {
    has: (value) => guarded(() => equal.get(asciiLower(value)) !== undefined),
    hasPrefix(prefix) {
      const low = asciiLower(prefix);
      const upper = prefixUpperBound(low);
      return guarded(() => (upper === undefined ? anyFrom.get(low) : anyBetween.get(low, upper)) !== undefined);
    },
    valuesInRange(low, high) {
      const from = asciiLower(low);
      const to = asciiLower(high);
      const read = ahead?.summary === undefined ? ahead?.take(from, to) : undefined;
      return read ?? guarded(() => valuesBetween.all(from, to) as string[]);
    },
    summaryInRange: (low, high, summary) =>
      ahead?.summary === summary ? ahead.takeSummary(asciiLower(low), asciiLower(high)) : undefined,
    readAhead(ranges, summary) {
      ahead ??= new RangeReader(db.memory ? '' : db.name, rangeSql, summary);
      if (ahead.summary !== summary) return;
      ahead.prefetch(ranges.map(([low, high]) => [asciiLower(low), asciiLower(high)] as const));
    },
    get rangesReadAhead() {
      return ahead?.taken ?? 0;
    },
    readAheadSettled: () => ahead?.settled() ?? Promise.resolve(),
  };
}

/**
 * A stable name per table and column, readable in sqlite_master; the hash keeps two names apart
 * when replacing spaces and dashes would make them equal.
 */
function indexName(tableId: string, column: string): string {
  const hash = createHash('sha256').update(`${tableId}\n${column}`).digest('hex').slice(0, 8);
  return `data_table_rows_ix_${identifierPart(tableId)}_${identifierPart(column)}_${hash}`;
}

/**
 * Text ignores ASCII case as mail systems and directories treat addresses (SQLite's lower() folds
 * only A-Z), and empty text is no value, so rows without an address never collide.
 */
function indexedExpression(column: TableColumn): string {
  const value = `json_extract("values", ${sqlText(`$."${column.name}"`)})`;
  return column.type === 'text' ? `nullif(lower(${value}), '')` : value;
}

function tableCondition(tableId: string): string {
  return `table_id = ${sqlText(tableId)}`;
}

function quotedIndexName(tableId: string, column: string): string {
  return `"${indexName(tableId, column).replaceAll('"', '""')}"`;
}

function identifierPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, '_');
}

function sqlText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function asciiLower(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase()) : text;
}

/**
 * The smallest text above every text that starts with the prefix: the prefix with its last code
 * point incremented (SQLite compares UTF-8 bytes, which follow code point order). Undefined when
 * no such bound exists (an empty prefix, or one of only U+10FFFF).
 */
function prefixUpperBound(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Surrogate code points cannot be stored as UTF-8: skip past them.
      const next = last === 0xd7ff ? 0xe000 : last + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

function firstDuplicate(db: Database.Database, tableId: string, column: TableColumn): unknown {
  const x = indexedExpression(column);
  return db
    .prepare(
      `SELECT json_extract("values", ?) FROM data_table_rows WHERE ${tableCondition(tableId)} AND ${x} IS NOT NULL GROUP BY ${x} HAVING count(*) > 1 LIMIT 1`,
    )
    .pluck()
    .get(`$."${column.name}"`);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function lookupFailed(error: unknown, column: string): unknown {
  if (!(error instanceof Error) || !/no such index/.test(error.message)) return error;
  return new FlowsteadError(
    'TABLE_INDEX_CHANGED',
    `The index of column "${column}" was removed while it was in use. Run the flow again.`,
    { column },
  );
}
