import { defineStore } from 'pinia';
import Papa from 'papaparse';
import { ref } from 'vue';
import type { ColumnIndex, RowQuery, TableColumn, TableInfo, TableRow } from '../../../shared/api/contract.js';
import type { JsonValue } from '../../../shared/flow/schema.js';
import { getApiClient } from '../api/client.js';

const EXPORT_PAGE = 5000;

/** Turns CSV text into row values for a table's columns; unknown headers are reported, not dropped silently. */
export function rowsFromCsv(
  text: string,
  columns: readonly TableColumn[],
): { rows: Record<string, JsonValue>[]; unknown: string[] } {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
  });
  const known = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const headers = parsed.meta.fields ?? [];
  const unknown = headers.filter((h) => !known.has(h.trim().toLowerCase()));
  const rows = parsed.data.map((record) => {
    const values: Record<string, JsonValue> = {};
    for (const header of headers) {
      const column = known.get(header.trim().toLowerCase());
      const raw = record[header];
      if (!column || raw === undefined || raw === '') continue;
      values[column.name] = column.type === 'object' || column.type === 'list' ? safeJson(raw) : raw;
    }
    return values;
  });
  return { rows, unknown };
}

function safeJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

export function rowsToCsv(columns: readonly TableColumn[], rows: readonly TableRow[]): string {
  const data = rows.map((row) =>
    columns.map((c) => {
      const value = row.values[c.name];
      return value === null || value === undefined
        ? ''
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    }),
  );
  return Papa.unparse({ fields: columns.map((c) => c.name), data });
}

/** The tables screen: the list of tables and the rows of the one that is open. */
export const useTablesStore = defineStore('tables', () => {
  const tables = ref<TableInfo[]>([]);
  const current = ref<TableInfo | null>(null);
  const rows = ref<TableRow[]>([]);
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(25);
  const sort = ref<RowQuery['sort']>();

  const api = () => getApiClient();

  async function refresh(): Promise<void> {
    tables.value = await api().invoke('tables.list', {});
    if (current.value) current.value = tables.value.find((t) => t.id === current.value!.id) ?? null;
  }

  async function open(table: TableInfo): Promise<void> {
    current.value = table;
    page.value = 1;
    sort.value = undefined;
    await loadRows();
  }

  async function loadRows(): Promise<void> {
    if (!current.value) return;
    const result = await api().invoke('tables.query', {
      tableId: current.value.id,
      offset: (page.value - 1) * pageSize.value,
      limit: pageSize.value,
      ...(sort.value ? { sort: sort.value } : {}),
    });
    rows.value = result.rows;
    total.value = result.total;
  }

  async function create(name: string, columns: TableColumn[]): Promise<void> {
    const table = await api().invoke('tables.create', { name, columns });
    await refresh();
    await open(table);
  }

  /** Adds, changes or removes the open table's index on one column; refused when unique values are not. */
  async function setColumnIndex(column: string, index: ColumnIndex): Promise<void> {
    await api().invoke('tables.setColumnIndex', { tableId: current.value!.id, column, index });
    await refresh();
  }

  async function remove(tableId: string): Promise<void> {
    await api().invoke('tables.delete', { tableId });
    if (current.value?.id === tableId) current.value = null;
    await refresh();
  }

  async function addRow(values: Record<string, JsonValue>): Promise<void> {
    await api().invoke('tables.insertRows', { tableId: current.value!.id, rows: [values] });
    await refresh();
    await loadRows();
  }

  async function updateRow(rowId: string, values: Record<string, JsonValue>): Promise<void> {
    await api().invoke('tables.updateRow', { tableId: current.value!.id, rowId, values });
    await loadRows();
  }

  async function deleteRows(rowIds: string[]): Promise<void> {
    await api().invoke('tables.deleteRows', { tableId: current.value!.id, rowIds });
    await refresh();
    await loadRows();
  }

  /** Imports CSV rows in one transaction: a bad row imports nothing and its error names it. */
  async function importCsv(text: string): Promise<{ imported: number; unknown: string[] }> {
    const table = current.value!;
    const { rows: parsed, unknown } = rowsFromCsv(text, table.columns);
    if (parsed.length > 0) await api().invoke('tables.insertRows', { tableId: table.id, rows: parsed });
    await refresh();
    await loadRows();
    return { imported: parsed.length, unknown };
  }

  async function exportCsv(): Promise<string> {
    const table = current.value!;
    const all: TableRow[] = [];
    for (let offset = 0; ; offset += EXPORT_PAGE) {
      const result = await api().invoke('tables.query', { tableId: table.id, offset, limit: EXPORT_PAGE });
      all.push(...result.rows);
      if (all.length >= result.total || result.rows.length === 0) break;
    }
    return rowsToCsv(table.columns, all);
  }

  return {
    tables,
    current,
    rows,
    total,
    page,
    pageSize,
    sort,
    refresh,
    open,
    loadRows,
    create,
    setColumnIndex,
    remove,
    addRow,
    updateRow,
    deleteRows,
    importCsv,
    exportCsv,
  };
});
