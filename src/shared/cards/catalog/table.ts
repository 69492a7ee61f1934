import { input, output, type CardDescriptor } from '../descriptor.js';

const table = input('table', 'table', 'The table, by name or id.', { title: 'Table' });
const rowId = input('rowId', 'text', 'The id of the row, as returned when it was created or found by a search.', {
  title: 'Row id',
});

/** Cards that keep data in Flowstead's own tables: lookups, queues, audit lists between runs. */
export const tableCards: readonly CardDescriptor[] = [
  {
    type: 'table.create',
    category: 'table',
    title: 'Create table',
    description: 'Creates a new table with the given columns. Fails when a table with that name already exists.',
    inputs: [
      input('name', 'text', 'Name of the new table; names ignore upper and lower case.', { title: 'Name' }),
      input(
        'columns',
        'list',
        'The columns: a list of objects with a `name` and a `type` (text, number, boolean, date, object or list).',
        {
          title: 'Columns',
          itemType: 'object',
        },
      ),
    ],
    outputs: [output('tableId', 'table', 'The id of the new table.', 'Table id')],
    effect: 'sideEffect',
  },
  {
    type: 'table.createRow',
    category: 'table',
    title: 'Create row',
    description: 'Adds a row to a table. Values are checked against the column types; columns left out stay empty.',
    inputs: [table, input('values', 'object', 'Column names and their values.', { title: 'Values' })],
    outputs: [output('rowId', 'text', 'The id of the new row.', 'Row id')],
    effect: 'sideEffect',
  },
  {
    type: 'table.readRow',
    category: 'table',
    title: 'Read row',
    description: 'Reads one row by its id. When there is no such row, `found` is false and `row` is empty.',
    inputs: [table, rowId],
    outputs: [
      output('row', 'object', 'The row: its `id` and its `values` by column name.', 'Row'),
      output('found', 'boolean', 'Whether the row exists.', 'Found'),
    ],
    effect: 'nondeterministic',
  },
  {
    type: 'table.search',
    category: 'table',
    title: 'Search rows',
    description:
      'Finds the rows that match every filter, in the order they were added. Filters are objects with a `column`, an `op` ' +
      '(eq, ne, lt, lte, gt, gte, contains, startsWith, empty, notEmpty) and a `value`.',
    inputs: [
      table,
      input('filters', 'list', 'The conditions a row must meet; leave empty to get every row.', {
        title: 'Filters',
        itemType: 'object',
        required: false,
        default: [],
      }),
      input('limit', 'number', 'The most rows to return (1 to 10,000).', {
        title: 'Limit',
        required: false,
        default: 100,
      }),
    ],
    outputs: [
      output('rows', 'list', 'The matching rows, each with its `id` and `values`, up to the limit.', 'Rows'),
      output('count', 'number', 'How many rows match in total, even beyond the limit.', 'Count'),
    ],
    effect: 'nondeterministic',
  },
  {
    type: 'table.updateRow',
    category: 'table',
    title: 'Update row',
    description:
      'Changes the given columns of a row and leaves the others as they are; an empty value clears a column.',
    inputs: [table, rowId, input('values', 'object', 'Column names and their new values.', { title: 'Values' })],
    outputs: [output('row', 'object', 'The row after the change: its `id` and its `values`.', 'Row')],
    effect: 'sideEffect',
  },
  {
    type: 'table.deleteRow',
    category: 'table',
    title: 'Delete row',
    description: 'Deletes one row. Deleting a row that does not exist is not an error: `deleted` is then false.',
    inputs: [table, rowId],
    outputs: [output('deleted', 'boolean', 'Whether a row was deleted.', 'Deleted')],
    effect: 'sideEffect',
  },
  {
    type: 'table.clear',
    category: 'table',
    title: 'Clear table',
    description: 'Deletes every row of a table and keeps its columns.',
    inputs: [table],
    outputs: [output('removed', 'number', 'How many rows were deleted.', 'Removed')],
    effect: 'sideEffect',
  },
];
