import { z } from 'zod';
import { CARD_CATEGORIES } from '../cards/descriptor.js';
import { connectionSchema, connectorDefinitionSchema } from '../connectors/definition.js';
import { flowDocumentSchema, historyLevelSchema, jsonValueSchema, valueTypeSchema } from '../flow/schema.js';

/**
 * The one API contract. Main (IPC), preload, renderer and the runner's HTTP server all use it;
 * every payload is validated with these schemas where it crosses a boundary.
 */

const id = z.string().min(1).max(200);
const isoTime = z.string();

export const serializedErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const validationProblemSchema = z.object({
  code: z.string(),
  /** Card id, 'trigger', or '' for the flow as a whole. */
  node: z.string(),
  /** Field path inside the flow document, e.g. ['nodes', 2, 'inputs', 'text']. */
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});
export type ValidationProblem = z.infer<typeof validationProblemSchema>;

export const flowSummarySchema = z.object({
  id,
  name: z.string(),
  folder: z.string(),
  description: z.string(),
  triggerKind: z.string(),
  version: z.number().int(),
  updatedAt: isoTime,
});
export type FlowSummary = z.infer<typeof flowSummarySchema>;

export const flowRecordSchema = z.object({
  flow: flowDocumentSchema,
  version: z.number().int(),
  updatedAt: isoTime,
  problems: z.array(validationProblemSchema),
});
export type FlowRecord = z.infer<typeof flowRecordSchema>;

export const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'] as const;
export const runStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const STEP_STATUSES = ['running', 'succeeded', 'failed', 'skipped'] as const;
export const stepStatusSchema = z.enum(STEP_STATUSES);
export type StepStatus = z.infer<typeof stepStatusSchema>;

export const runSummarySchema = z.object({
  id,
  flowId: id,
  flowName: z.string(),
  flowVersion: z.number().int(),
  status: runStatusSchema,
  triggerKind: z.string(),
  parentRunId: z.string().nullable(),
  startedAt: isoTime,
  finishedAt: isoTime.nullable(),
  durationMs: z.number().nullable(),
  error: serializedErrorSchema.nullable(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runDetailSchema = runSummarySchema.extend({
  input: z.record(z.string(), z.unknown()),
  output: z.record(z.string(), z.unknown()).nullable(),
  historyLevel: historyLevelSchema,
});
export type RunDetail = z.infer<typeof runDetailSchema>;

export const runStepSchema = z.object({
  seq: z.number().int(),
  /** Where the step ran: '' for the top flow, `loop1[3]` for item 3 of card loop1, nested with '/'. */
  scope: z.string(),
  nodeId: z.string(),
  cardType: z.string(),
  status: stepStatusSchema,
  attempt: z.number().int(),
  startedAt: isoTime,
  durationMs: z.number().nullable(),
  inputs: z.record(z.string(), z.unknown()).nullable(),
  outputs: z.record(z.string(), z.unknown()).nullable(),
  error: serializedErrorSchema.nullable(),
});
export type RunStep = z.infer<typeof runStepSchema>;

export const columnTypeSchema = z.enum(['text', 'number', 'boolean', 'date', 'object', 'list']);
export const columnIndexSchema = z.enum(['none', 'indexed', 'unique']);
export type ColumnIndex = z.infer<typeof columnIndexSchema>;
/** The column types an index can hold: values with a natural order and equality. */
export const INDEXABLE_COLUMN_TYPES: readonly z.infer<typeof columnTypeSchema>[] = ['text', 'number'];
export const tableColumnSchema = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_ ]*$/, 'Column names start with a letter or _ and use letters, digits, _ and spaces.'),
  type: columnTypeSchema,
  /**
   * A SQLite index on the column, for quick lookups ('indexed') or to refuse a value already in
   * the table ('unique'). Only text and number columns; text is compared ignoring ASCII case and
   * empty text counts as no value. Absent means 'none'.
   */
  index: columnIndexSchema.optional(),
});
export type TableColumn = z.infer<typeof tableColumnSchema>;

export const tableInfoSchema = z.object({
  id,
  name: z.string(),
  columns: z.array(tableColumnSchema),
  rowCount: z.number().int(),
  createdAt: isoTime,
});
export type TableInfo = z.infer<typeof tableInfoSchema>;

export const tableRowSchema = z.object({ id, values: z.record(z.string(), jsonValueSchema) });
export type TableRow = z.infer<typeof tableRowSchema>;

export const rowFilterSchema = z.object({
  column: z.string(),
  op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'empty', 'notEmpty']),
  value: jsonValueSchema.optional(),
});
export type RowFilter = z.infer<typeof rowFilterSchema>;

export const rowQuerySchema = z.object({
  tableId: id,
  filters: z.array(rowFilterSchema).default([]),
  sort: z.object({ column: z.string(), direction: z.enum(['asc', 'desc']).default('asc') }).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(10_000).default(100),
});
export type RowQuery = z.infer<typeof rowQuerySchema>;

export const settingsSchema = z.object({
  defaultHistoryLevel: historyLevelSchema,
  theme: z.enum(['system', 'light', 'dark']),
});
export type Settings = z.infer<typeof settingsSchema>;

export const cardDescriptorSchema = z.object({
  type: z.string(),
  category: z.enum(CARD_CATEGORIES),
  title: z.string(),
  description: z.string(),
  inputs: z.array(
    z.object({
      name: z.string(),
      title: z.string(),
      type: valueTypeSchema,
      itemType: valueTypeSchema.optional(),
      required: z.boolean(),
      description: z.string(),
      options: z.array(z.string()).readonly().optional(),
      default: jsonValueSchema.optional(),
      multiline: z.boolean().optional(),
    }),
  ),
  extraInputs: z.object({ type: valueTypeSchema, description: z.string() }).optional(),
  outputs: z.array(z.object({ name: z.string(), title: z.string(), type: valueTypeSchema, description: z.string() })),
  dynamicOutputs: z.boolean().optional(),
  handles: z.array(z.string()).readonly().optional(),
  effect: z.enum(['pure', 'nondeterministic', 'sideEffect']),
  terminal: z.boolean().optional(),
  connector: z.object({ id: z.string(), name: z.string(), icon: z.string() }).optional(),
});

const none = z.object({}).strict();

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const apiContract = {
  'flows.list': method(
    z.object({ folder: z.string().optional(), search: z.string().optional() }).strict(),
    z.array(flowSummarySchema),
  ),
  'flows.get': method(z.object({ id }).strict(), flowRecordSchema),
  'flows.save': method(z.object({ flow: flowDocumentSchema }).strict(), flowRecordSchema),
  'flows.delete': method(z.object({ id }).strict(), z.object({ deleted: z.boolean() })),
  'flows.versions': method(
    z.object({ id }).strict(),
    z.array(z.object({ version: z.number().int(), savedAt: isoTime })),
  ),
  'flows.getVersion': method(z.object({ id, version: z.number().int() }).strict(), flowDocumentSchema),
  'flows.validate': method(z.object({ flow: flowDocumentSchema }).strict(), z.array(validationProblemSchema)),

  'runs.start': method(
    z.object({ flowId: id, input: z.record(z.string(), jsonValueSchema).default({}) }).strict(),
    z.object({ runId: id }),
  ),
  'runs.get': method(z.object({ runId: id }).strict(), runDetailSchema),
  'runs.list': method(
    z
      .object({
        flowId: id.optional(),
        status: runStatusSchema.optional(),
        limit: z.number().int().min(1).max(1000).default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    z.array(runSummarySchema),
  ),
  'runs.steps': method(
    z
      .object({
        runId: id,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
    z.array(runStepSchema),
  ),
  'runs.cancel': method(z.object({ runId: id }).strict(), z.object({ cancelled: z.boolean() })),

  'tables.list': method(none, z.array(tableInfoSchema)),
  'tables.create': method(
    z.object({ name: z.string().trim().min(1).max(200), columns: z.array(tableColumnSchema).min(1) }).strict(),
    tableInfoSchema,
  ),
  /** Adds, changes or removes one column's index; refused (nothing changed) when unique values are not. */
  'tables.setColumnIndex': method(
    z.object({ tableId: id, column: z.string(), index: columnIndexSchema }).strict(),
    tableInfoSchema,
  ),
  'tables.delete': method(z.object({ tableId: id }).strict(), z.object({ deleted: z.boolean() })),
  'tables.clear': method(z.object({ tableId: id }).strict(), z.object({ removed: z.number().int() })),
  'tables.query': method(rowQuerySchema, z.object({ rows: z.array(tableRowSchema), total: z.number().int() })),
  'tables.insertRows': method(
    z.object({ tableId: id, rows: z.array(z.record(z.string(), jsonValueSchema)).min(1).max(100_000) }).strict(),
    z.object({ ids: z.array(z.string()) }),
  ),
  'tables.updateRow': method(
    z.object({ tableId: id, rowId: id, values: z.record(z.string(), jsonValueSchema) }).strict(),
    tableRowSchema,
  ),
  'tables.deleteRows': method(
    z.object({ tableId: id, rowIds: z.array(id).min(1) }).strict(),
    z.object({ removed: z.number().int() }),
  ),

  'catalog.list': method(none, z.array(cardDescriptorSchema)),

  /** Runs a flow once per row (durably, bounded concurrency) or passes the whole list to one run. */
  'bulk.start': method(
    z
      .object({
        flowId: id,
        rows: z.array(z.record(z.string(), jsonValueSchema)).max(1_000_000).optional(),
        tableId: id.optional(),
        mode: z.enum(['perRow', 'wholeList']).default('perRow'),
        concurrency: z.number().int().min(1).max(50).default(4),
        /** Trigger input → column name, when they differ. */
        columns: z.record(z.string(), z.string()).optional(),
        historyLevel: historyLevelSchema.optional(),
      })
      .strict()
      .refine((v) => (v.rows === undefined) !== (v.tableId === undefined), {
        message: 'give either rows (from a CSV) or tableId, not both',
        path: ['rows'],
      }),
    z.object({ runId: id, total: z.number().int() }),
  ),
  'bulk.results': method(
    z.object({ runId: id }).strict(),
    z.object({
      status: runStatusSchema,
      total: z.number().int(),
      ok: z.number().int(),
      failed: z.number().int(),
      rows: z.array(
        z.object({
          row: z.number().int(),
          status: z.enum(['ok', 'error']),
          error: z.string().nullable(),
          input: z.record(z.string(), z.unknown()),
          output: z.record(z.string(), z.unknown()).nullable(),
        }),
      ),
      error: serializedErrorSchema.nullable(),
    }),
  ),
  'bulk.cancel': method(z.object({ runId: id }).strict(), z.object({ cancelled: z.boolean() })),
  'bulk.resume': method(z.object({ runId: id }).strict(), z.object({ runId: id })),

  'connectors.list': method(
    none,
    z.array(z.object({ definition: connectorDefinitionSchema, builtIn: z.boolean(), connections: z.number().int() })),
  ),
  /** Custom connectors only; the definition is validated in full by the engine. */
  'connectors.save': method(z.object({ definition: z.unknown() }).strict(), connectorDefinitionSchema),
  'connectors.delete': method(z.object({ id }).strict(), z.object({ deleted: z.boolean() })),
  /** Turns an OpenAPI 3 document into a custom connector definition (not saved until connectors.save). */
  'connectors.fromOpenApi': method(
    z
      .object({
        document: z.string().min(1).max(20_000_000),
        id: z.string().optional(),
        operations: z.array(z.string()).optional(),
      })
      .strict(),
    z.object({
      definition: connectorDefinitionSchema,
      operations: z.array(
        z.object({ operationId: z.string(), method: z.string(), path: z.string(), summary: z.string() }),
      ),
    }),
  ),

  'bundles.signingKey': method(none, z.object({ keyId: z.string(), publicKeyPem: z.string() }).nullable()),
  'bundles.createSigningKey': method(
    z.object({ replace: z.boolean().default(false) }).strict(),
    z.object({ keyId: z.string(), publicKeyPem: z.string() }),
  ),
  /** A bundle file for flowstead-runner: the flows, their helpers, custom connectors, table schemas; never a secret. */
  'bundles.export': method(
    z
      .object({
        flowIds: z.array(id).min(1),
        name: z.string().trim().min(1).max(100),
        version: z.string().trim().min(1).max(40).default('1.0.0'),
        includeTableData: z.boolean().default(false),
        sign: z.boolean().default(true),
      })
      .strict(),
    z.object({
      fileName: z.string(),
      content: z.string(),
      keyId: z.string().nullable(),
      connections: z.array(z.object({ name: z.string(), connector: z.string(), fields: z.array(z.string()) })),
    }),
  ),
  'bundles.import': method(
    z
      .object({
        content: z
          .string()
          .min(1)
          .max(64 * 1024 * 1024),
        trustedKeys: z.array(z.string()).default([]),
        allowUnsigned: z.boolean().default(false),
        replace: z.boolean().default(false),
      })
      .strict(),
    z.object({
      name: z.string(),
      version: z.string(),
      signedBy: z.string().nullable(),
      flows: z.array(z.string()),
      connectors: z.array(z.string()),
      tables: z.array(z.string()),
      connectionsNeeded: z.array(z.object({ name: z.string(), connector: z.string(), fields: z.array(z.string()) })),
    }),
  ),

  'connections.list': method(none, z.array(connectionSchema)),
  /** Secret fields go in `secrets` (write-only): a value sets it, null clears it, absent keeps it. */
  'connections.save': method(
    z
      .object({
        id: id.optional(),
        connector: z.string(),
        name: z.string().max(100),
        settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
        secrets: z.record(z.string(), z.string().max(20_000).nullable()).optional(),
      })
      .strict(),
    connectionSchema,
  ),
  'connections.delete': method(z.object({ id }).strict(), z.object({ deleted: z.boolean() })),
  'connections.test': method(
    z.object({ id }).strict(),
    z.object({ ok: z.boolean(), message: z.string(), durationMs: z.number() }),
  ),

  'settings.get': method(none, settingsSchema),
  'app.info': method(none, z.object({ version: z.string(), dbPath: z.string() })),
  'settings.set': method(settingsSchema.partial().strict(), settingsSchema),
} as const;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;
/** What a caller passes (defaults not yet applied). */
export type ApiInput<M extends ApiMethod> = z.input<ApiContract[M]['input']>;
/** What a handler receives after validation (defaults applied). */
export type ApiParsedInput<M extends ApiMethod> = z.output<ApiContract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<ApiContract[M]['output']>;

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiContract, name);
}

/** Events the back end pushes to the UI. */
export const progressEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run.started'), runId: id, flowId: id }),
  z.object({ kind: z.literal('card.started'), runId: id, scope: z.string(), nodeId: z.string() }),
  z.object({
    kind: z.literal('card.finished'),
    runId: id,
    scope: z.string(),
    nodeId: z.string(),
    status: stepStatusSchema,
    durationMs: z.number(),
  }),
  z.object({
    kind: z.literal('items.progress'),
    runId: id,
    scope: z.string(),
    nodeId: z.string(),
    done: z.number().int(),
    total: z.number().int(),
  }),
  z.object({
    kind: z.literal('run.finished'),
    runId: id,
    status: runStatusSchema,
    error: serializedErrorSchema.nullable(),
  }),
]);
export type ProgressEvent = z.infer<typeof progressEventSchema>;

export const apiEvents = { 'run.progress': progressEventSchema } as const;
export type ApiEventName = keyof typeof apiEvents;
export type ApiEvent<E extends ApiEventName> = z.output<(typeof apiEvents)[E]>;

/** What a handler answers across IPC / HTTP: errors travel as values, never as thrown strings. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof serializedErrorSchema> };

/** The client the renderer (and tests) use; IPC and HTTP transports both implement it. */
export interface ApiClient {
  invoke<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvent<E>) => void): () => void;
}

/** Server side: one handler per method, receiving the validated input. */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> | ApiOutput<M> };
