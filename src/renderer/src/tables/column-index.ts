import { INDEXABLE_COLUMN_TYPES, type ColumnIndex, type TableColumn } from '../../../shared/api/contract.js';

export const INDEX_OPTIONS: { label: string; value: ColumnIndex }[] = [
  { label: 'No index', value: 'none' },
  { label: 'Indexed', value: 'indexed' },
  { label: 'Unique', value: 'unique' },
];

/** What the choices mean, in one sentence an admin reads next to them. */
export const INDEX_HINT =
  'Unique refuses a value already in the table; Indexed makes lookups by the column quick (e.g. "is this address taken?"). ' +
  'Text is compared ignoring case (A–Z), as mail systems and directories do. Only text and number columns can have one.';

export function canIndex(type: TableColumn['type']): boolean {
  return INDEXABLE_COLUMN_TYPES.includes(type);
}

export function indexOf(column: TableColumn): ColumnIndex {
  return column.index ?? 'none';
}
