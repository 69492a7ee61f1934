import type { ApiOutput, ApiParsedInput } from '../../shared/api/contract.js';
import type { CardDescriptor } from '../../shared/cards/descriptor.js';
import { FlowsteadError, type SerializedError } from '../../shared/errors.js';
import type { FlowDocument } from '../../shared/flow/schema.js';
import { forEachConcurrency } from '../cards/list.js';
import { Ended, type CardImplementation, type CardInputs } from '../cards/types.js';
import type { Executor } from '../executor/executor.js';
import { childScope } from '../executor/active-run.js';
import type { ItemResult, RunStore } from '../executor/run-store.js';
import type { FlowService } from './flow-service.js';
import { collectHelpers, prepareRunInput, type FlowInputs } from './run-service.js';
import type { TableService } from './table-service.js';

/** Bulk runs are an ordinary run of a generated flow; this prefix marks its id. */
export const BULK_FLOW_PREFIX = 'bulk:';
/** The generated flow's one card: runs the flow once per row. */
export const BULK_ROWS_CARD = 'bulk.rows';
/**
 * Bulk runs begun by an earlier version ran each row through a generated one-card flow with this
 * card; it stays so that such a run, stopped or interrupted, can still resume.
 */
export const BULK_ROW_CARD = 'bulk.row';
const MAX_ROWS = 1_000_000;

const internalCard = (type: string, title: string, description: string, terminal: boolean): CardDescriptor => ({
  type,
  category: 'control',
  title,
  description,
  inputs: [],
  extraInputs: { type: 'any', description: 'Internal.' },
  outputs: [],
  dynamicOutputs: true,
  terminal,
  effect: 'sideEffect',
});

type Row = Record<string, unknown>;

/** The error of a row with no result (a finished run should have none such): never dropped silently. */
const NOT_RUN: SerializedError = { code: 'ROW_NOT_RUN', message: 'The row was not run.' };
/** The generated flow's card that runs the rows; its loop items hold the rows' results. */
const BULK_ROWS_NODE = 'rows';
/** The executor names the failing card; for a row of an earlier version's bulk run, that card says nothing useful. */
const ROW_CARD_PREFIX = /^Card `Bulk row` \(row\) failed: /;

/** What the generated flow carries of the user's flow, so a resumed run maps rows the way it began. */
interface RowMapping {
  /** The flow's name and trigger inputs, as the run-input check reads them; built once for all rows. */
  flow: FlowInputs;
  columns: Record<string, string>;
}

function rowMapping(inputs: CardInputs): RowMapping {
  return {
    flow: {
      name: String(inputs['name']),
      trigger: { inputs: (inputs['fields'] ?? []) as FlowDocument['trigger']['inputs'] },
    },
    columns: (inputs['columns'] ?? {}) as Record<string, string>,
  };
}

/**
 * One row's trigger inputs: its columns mapped to the flow's inputs and checked the way a manual
 * run checks them, so a missing column or an empty name is that row's error, not a crashed run.
 */
function rowInputs(mapping: RowMapping, value: unknown): Row {
  const row = (value ?? {}) as Row;
  const input: Row = {};
  const missing: string[] = [];
  for (const field of mapping.flow.trigger.inputs) {
    const column = mapping.columns[field.name] ?? field.name;
    if (!Object.prototype.hasOwnProperty.call(row, column)) {
      if (field.required) missing.push(`\`${column}\` (for input ${field.name})`);
      continue;
    }
    input[field.name] = typeof row[column] === 'string' ? (row[column] as string).trim() : row[column];
  }
  if (missing.length > 0) {
    throw new FlowsteadError('ROW_COLUMN_MISSING', `The row has no column ${missing.join(', ')}. Map a column to it.`);
  }
  return prepareRunInput(mapping.flow, input);
}

/**
 * Rows' results as earlier versions kept them, in the run's output, in the shape this version
 * keeps them in: the bulk card's loop items.
 */
function outcomesInOutput(
  results: (Row | null)[],
  errors: { index: number; error: SerializedError }[],
): Map<number, ItemResult> {
  const outcomes = new Map<number, ItemResult>(results.map((result, index) => [index, { ok: true, result }]));
  for (const { index, error } of errors) outcomes.set(index, { ok: false, result: error });
  return outcomes;
}

/**
 * Runs the flow once per row, each row a frame of its own with its own history and result, with
 * bounded concurrency; finished rows survive a crash or cancel and are not run again.
 */
export const bulkRowsCard: CardImplementation = {
  descriptor: internalCard(
    BULK_ROWS_CARD,
    'Bulk rows',
    'Runs the flow once per CSV or table row, mapping the row’s columns to the flow’s inputs.',
    false,
  ),
  // Each row's frame checkpoints its own effects; finished rows are recorded as loop items.
  effectsInCalledFlows: true,
  async run(inputs, ctx) {
    const mapping = rowMapping(inputs);
    const rows = Array.isArray(inputs['rows']) ? (inputs['rows'] as unknown[]) : [];
    // Each row's result stays in the run as its loop item, which `results` reads.
    const { errors } = await ctx.forEach(String(inputs['flow']), rows, {
      concurrency: forEachConcurrency(inputs['concurrency']),
      continueOnError: true,
      prepareItem: (row) => rowInputs(mapping, row),
      keepItems: true,
    });
    return { rows: rows.length, ok: rows.length - errors.length, failed: errors.length };
  },
};

/** The row card of bulk runs begun by an earlier version (see BULK_ROW_CARD). */
export const bulkRowCard: CardImplementation = {
  descriptor: internalCard(
    BULK_ROW_CARD,
    'Bulk row',
    'Maps one CSV or table row to the flow’s inputs and runs the flow for it.',
    true,
  ),
  effectsInCalledFlows: true,
  async run(inputs, ctx) {
    return new Ended(
      'return',
      await ctx.callFlow(String(inputs['flow']), rowInputs(rowMapping(inputs), inputs['row'])),
    );
  },
};

export interface BulkRowResult {
  /** 1-based, as a spreadsheet shows it. */
  row: number;
  status: 'ok' | 'error';
  error: string | null;
  input: Row;
  output: Row | null;
}

/** One flow run per row (bounded concurrency, durable per row), or the whole list to one run. */
export class BulkRunService {
  constructor(
    private readonly flows: FlowService,
    private readonly executor: Executor,
    private readonly store: RunStore,
    private readonly tables: TableService,
  ) {}

  start(input: ApiParsedInput<'bulk.start'>): ApiOutput<'bulk.start'> {
    const record = this.flows.get({ id: input.flowId });
    if (record.problems.length > 0) {
      throw new FlowsteadError(
        'FLOW_INVALID',
        `Flow \`${record.flow.name}\` has ${record.problems.length} problem(s) to fix before it can run: ${record.problems[0]!.message}`,
      );
    }
    const rows = input.rows ?? this.tableRows(input.tableId);
    if (rows.length === 0)
      throw new FlowsteadError(
        'BULK_NO_ROWS',
        'There are no rows to run: pick a CSV with data rows or a table with rows.',
      );
    if (rows.length > MAX_ROWS) {
      throw new FlowsteadError('BULK_TOO_MANY_ROWS', `${rows.length} rows is more than ${MAX_ROWS}; split the file.`);
    }
    const helpers = collectHelpers(record.flow, (id) => this.flows.findFlow(id));
    if (input.mode === 'wholeList') {
      const listInput = record.flow.trigger.inputs.find((f) => f.type === 'list');
      if (!listInput) {
        throw new FlowsteadError(
          'BULK_NO_LIST_INPUT',
          `Flow \`${record.flow.name}\` has no list input to receive the rows. Add a trigger input of type list, or run it once per row.`,
        );
      }
      const { runId } = this.executor.start({
        flow: record.flow,
        flowVersion: record.version,
        helpers,
        input: prepareRunInput(record.flow, { [listInput.name]: rows }),
      });
      return { runId, total: rows.length };
    }
    const bulkFlow = this.bulkFlow(record.flow, input.columns ?? {}, input.concurrency);
    const { runId } = this.executor.start({
      flow: bulkFlow,
      flowVersion: record.version,
      helpers: { ...helpers, [record.flow.id]: record.flow },
      input: { rows },
      historyLevel: input.historyLevel ?? 'metadata',
    });
    return { runId, total: rows.length };
  }

  /** Every input row with its status and error, in input order; nothing is dropped. */
  results({ runId }: ApiParsedInput<'bulk.results'>): ApiOutput<'bulk.results'> {
    const run = this.store.getRun(runId);
    if (!run) throw new FlowsteadError('RUN_NOT_FOUND', `There is no run with id ${runId}.`);
    const rows = (run.input['rows'] ?? []) as Row[];
    const output = run.output as {
      results?: (Row | null)[];
      errors?: { index: number; error: SerializedError }[];
    } | null;
    if (run.status === 'running' || run.status === 'waiting' || output === null) {
      return { status: run.status, total: rows.length, ok: 0, failed: 0, rows: [], error: run.error };
    }
    const outcomes = output.results
      ? outcomesInOutput(output.results, output.errors ?? [])
      : this.store.loadItems(runId, childScope('', BULK_ROWS_NODE));
    const results: BulkRowResult[] = rows.map((row, index) => {
      const outcome = outcomes.get(index);
      if (outcome?.ok)
        return { row: index + 1, status: 'ok', error: null, input: row, output: (outcome.result ?? {}) as Row };
      const error = (outcome?.result as SerializedError | undefined) ?? NOT_RUN;
      return {
        row: index + 1,
        status: 'error',
        error: `${error.code}: ${error.message.replace(ROW_CARD_PREFIX, '')}`,
        input: row,
        output: null,
      };
    });
    const failed = results.filter((r) => r.status === 'error').length;
    return {
      status: run.status,
      total: rows.length,
      ok: rows.length - failed,
      failed,
      rows: results,
      error: run.error,
    };
  }

  /** Stops the run; rows already done are kept and `resume` continues with the rest. */
  cancel({ runId }: ApiParsedInput<'bulk.cancel'>): ApiOutput<'bulk.cancel'> {
    return { cancelled: this.executor.pause(runId) };
  }

  resume({ runId }: ApiParsedInput<'bulk.resume'>): ApiOutput<'bulk.resume'> {
    const resumed = this.executor.resume(runId);
    if (!resumed) {
      throw new FlowsteadError(
        'BULK_NOT_RESUMABLE',
        `Run ${runId} cannot be resumed: only a cancelled bulk run that had not finished can continue.`,
      );
    }
    return { runId };
  }

  private tableRows(tableId: string | undefined): Row[] {
    if (!tableId) throw new FlowsteadError('BULK_NO_ROWS', 'Give the rows of a CSV file or pick a table.');
    const rows: Row[] = [];
    for (let offset = 0; ; offset += 5000) {
      const page = this.tables.query({ tableId, offset, limit: 5000, filters: [] });
      rows.push(...page.rows.map((r) => r.values as Row));
      if (page.rows.length < 5000) return rows;
    }
  }

  private bulkFlow(flow: FlowDocument, columns: Record<string, string>, concurrency: number): FlowDocument {
    return {
      ...flow,
      id: `${BULK_FLOW_PREFIX}${flow.id}`,
      name: `Bulk: ${flow.name}`,
      trigger: { kind: 'bulkRows', inputs: [] },
      nodes: [
        {
          id: BULK_ROWS_NODE,
          type: BULK_ROWS_CARD,
          position: { x: 0, y: 0 },
          inputs: {
            flow: { kind: 'literal', value: flow.id },
            // The trigger's fields travel with the generated flow, so a resumed run maps rows as it began.
            name: { kind: 'literal', value: flow.name },
            fields: { kind: 'literal', value: flow.trigger.inputs },
            columns: { kind: 'literal', value: columns },
            rows: { kind: 'ref', node: 'trigger', path: ['rows'] },
            concurrency: { kind: 'literal', value: concurrency },
          },
        },
        {
          id: 'done',
          type: 'control.return',
          position: { x: 300, y: 0 },
          inputs: {
            rows: { kind: 'ref', node: BULK_ROWS_NODE, path: ['rows'] },
            ok: { kind: 'ref', node: BULK_ROWS_NODE, path: ['ok'] },
            failed: { kind: 'ref', node: BULK_ROWS_NODE, path: ['failed'] },
          },
        },
      ],
      edges: [
        { id: 'e0', source: 'trigger', sourceHandle: 'next', target: BULK_ROWS_NODE },
        { id: 'e1', source: BULK_ROWS_NODE, sourceHandle: 'next', target: 'done' },
      ],
    } as FlowDocument;
  }
}
