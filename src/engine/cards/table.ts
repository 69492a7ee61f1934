import type { RowFilter, TableColumn } from '../../shared/api/contract.js';
import { tableCards } from '../../shared/cards/catalog/table.js';
import type { CardDescriptor } from '../../shared/cards/descriptor.js';
import { FlowsteadError } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/flow/schema.js';
import { describeValue } from '../../shared/values.js';
import type { CardImplementation, CardInputs } from './types.js';

function descriptor(type: string): CardDescriptor {
  const found = tableCards.find((card) => card.type === type);
  if (!found) throw new FlowsteadError('INTERNAL', `The table card ${type} has no descriptor.`);
  return found;
}

function text(inputs: CardInputs, name: string): string {
  const value = inputs[name];
  if (typeof value !== 'string' || value === '') {
    throw new FlowsteadError('INPUT_REQUIRED', `Input \`${name}\` needs a value.`, { input: name });
  }
  return value;
}
const values = (inputs: CardInputs) => (inputs['values'] ?? {}) as Record<string, JsonValue>;

/** Filters come from the flow as plain objects; say which one is wrong before the table service sees it. */
function readFilters(value: unknown): RowFilter[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new FlowsteadError(
      'TABLE_FILTER_INVALID',
      `Filters must be a list of objects with a column, an op and a value, got ${describeValue(value)}.`,
    );
  }
  return value.map((filter: unknown, index) => {
    const candidate = filter as Partial<RowFilter> | null;
    if (
      candidate === null ||
      typeof candidate !== 'object' ||
      Array.isArray(candidate) ||
      typeof candidate.column !== 'string' ||
      typeof candidate.op !== 'string'
    ) {
      throw new FlowsteadError(
        'TABLE_FILTER_INVALID',
        `Filter ${index + 1} must be an object with a \`column\` and an \`op\` (and a \`value\` to compare with), got ${describeValue(filter)}.`,
        { filter: index + 1 },
      );
    }
    return candidate as RowFilter;
  });
}

function readLimit(value: unknown): number {
  if (value === undefined || value === null) return 100;
  const limit = value as number;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new FlowsteadError(
      'TABLE_QUERY_INVALID',
      `The limit must be a whole number from 1 to 10,000, got ${String(value)}.`,
    );
  }
  return limit;
}

/**
 * Writing cards are `transactional`: their only effect is on our own database, so the executor
 * commits the write together with the run's checkpoint and it happens exactly once.
 */
export const tableImplementations: readonly CardImplementation[] = [
  {
    descriptor: descriptor('table.create'),
    transactional: true,
    // The table service checks each column's name and type and says which one is wrong.
    run: (inputs, ctx) => {
      const created = ctx.services.tables.create({
        name: text(inputs, 'name'),
        columns: inputs['columns'] as TableColumn[],
      });
      return { tableId: created.id };
    },
  },
  {
    descriptor: descriptor('table.createRow'),
    transactional: true,
    run: (inputs, ctx) => {
      const { ids } = ctx.services.tables.insertRows({ tableId: text(inputs, 'table'), rows: [values(inputs)] });
      return { rowId: ids[0] };
    },
  },
  {
    descriptor: descriptor('table.readRow'),
    run: (inputs, ctx) => {
      const row = ctx.services.tables.getRow(text(inputs, 'table'), text(inputs, 'rowId'));
      return { row: row ?? null, found: row !== undefined };
    },
  },
  {
    descriptor: descriptor('table.search'),
    run: (inputs, ctx) => {
      const { rows, total } = ctx.services.tables.query({
        tableId: text(inputs, 'table'),
        filters: readFilters(inputs['filters']),
        limit: readLimit(inputs['limit']),
      });
      return { rows, count: total };
    },
  },
  {
    descriptor: descriptor('table.updateRow'),
    transactional: true,
    run: (inputs, ctx) => ({
      row: ctx.services.tables.updateRow({
        tableId: text(inputs, 'table'),
        rowId: text(inputs, 'rowId'),
        values: values(inputs),
      }),
    }),
  },
  {
    descriptor: descriptor('table.deleteRow'),
    transactional: true,
    run: (inputs, ctx) => {
      const { removed } = ctx.services.tables.deleteRows({
        tableId: text(inputs, 'table'),
        rowIds: [text(inputs, 'rowId')],
      });
      return { deleted: removed > 0 };
    },
  },
  {
    descriptor: descriptor('table.clear'),
    transactional: true,
    run: (inputs, ctx) => ctx.services.tables.clear({ tableId: text(inputs, 'table') }),
  },
];
