import type Database from 'better-sqlite3';
import type {
  ApiOutput,
  ApiParsedInput,
  FlowRecord,
  FlowSummary,
  ValidationProblem,
} from '../../shared/api/contract.js';
import type { CardDescriptor } from '../../shared/cards/descriptor.js';
import { FlowsteadError } from '../../shared/errors.js';
import { flowDocumentSchema, type FlowDocument } from '../../shared/flow/schema.js';
import { validateFlow } from '../../shared/flow/validate.js';

export interface FlowValidationContext {
  findDescriptor(type: string): CardDescriptor | undefined;
  findFlow(id: string): FlowDocument | undefined;
  findConnection?(id: string): { connector: string; name: string } | undefined;
}

export type ValidateFlowFn = (flow: FlowDocument, context: FlowValidationContext) => ValidationProblem[];

export interface FlowServiceOptions {
  findDescriptor(type: string): CardDescriptor | undefined;
  findConnection?(id: string): { connector: string; name: string } | undefined;
  /** Defaults to the shared flow validation; tests may pass a simpler one. */
  validate?: ValidateFlowFn;
}

interface FlowRow {
  id: string;
  name: string;
  folder: string;
  description: string;
  trigger_kind: string;
  document: string;
  version: number;
  updated_at: string;
}

/** "Flow 2" before "Flow 10", and case does not matter: the order an admin expects in a list. */
const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Saves, lists and validates flows; every save keeps a numbered version of the document. */
export class FlowService {
  private readonly validateFn: ValidateFlowFn;
  private readonly context: FlowValidationContext;

  constructor(
    private readonly db: Database.Database,
    options: FlowServiceOptions,
  ) {
    this.validateFn = options.validate ?? validateFlow;
    this.context = {
      findDescriptor: options.findDescriptor,
      findFlow: (id) => this.findFlow(id),
      ...(options.findConnection ? { findConnection: options.findConnection } : {}),
    };
  }

  list({ folder, search }: ApiParsedInput<'flows.list'> = {}): ApiOutput<'flows.list'> {
    const rows = (
      folder === undefined
        ? this.db.prepare('SELECT * FROM flows').all()
        : this.db.prepare('SELECT * FROM flows WHERE folder = ?').all(folder)
    ) as FlowRow[];
    // Matching in JavaScript folds case beyond ASCII ("Übernahme"), which SQLite's lower() does not.
    const needle = search?.trim().toLocaleLowerCase() ?? '';
    const matches = needle
      ? rows.filter((row) =>
          [row.name, row.description, row.folder].some((text) => text.toLocaleLowerCase().includes(needle)),
        )
      : rows;
    return matches
      .map(toSummary)
      .sort((a, b) => byName.compare(a.folder, b.folder) || byName.compare(a.name, b.name) || a.id.localeCompare(b.id));
  }

  get({ id }: ApiParsedInput<'flows.get'>): FlowRecord {
    const row = this.requireRow(id);
    const flow = parseStored(row.document, row.id, row.name);
    return { flow, version: row.version, updatedAt: row.updated_at, problems: this.validateFn(flow, this.context) };
  }

  /** Saves even a flow with problems (work in progress) and reports them. */
  save({ flow: input }: ApiParsedInput<'flows.save'>): FlowRecord {
    const parsed = flowDocumentSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FlowsteadError(
        'FLOW_INVALID',
        `The flow cannot be saved: ${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`,
        {
          issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })),
        },
      );
    }
    const flow = parsed.data;
    const document = JSON.stringify(flow);
    const now = new Date().toISOString();
    const version = this.db.transaction(() => {
      const previous = this.db.prepare('SELECT version FROM flows WHERE id = ?').pluck().get(flow.id) as
        number | undefined;
      const next = (previous ?? 0) + 1;
      this.db
        .prepare(
          `INSERT INTO flows (id, name, folder, description, trigger_kind, document, version, created_at, updated_at)
           VALUES (@id, @name, @folder, @description, @triggerKind, @document, @version, @now, @now)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, folder = excluded.folder, description = excluded.description,
             trigger_kind = excluded.trigger_kind, document = excluded.document, version = excluded.version, updated_at = excluded.updated_at`,
        )
        .run({
          id: flow.id,
          name: flow.name,
          folder: flow.folder,
          description: flow.description,
          triggerKind: flow.trigger.kind,
          document,
          version: next,
          now,
        });
      this.db
        .prepare('INSERT INTO flow_versions (flow_id, version, document, saved_at) VALUES (?, ?, ?, ?)')
        .run(flow.id, next, document, now);
      return next;
    })();
    return { flow, version, updatedAt: now, problems: this.validateFn(flow, this.context) };
  }

  delete({ id }: ApiParsedInput<'flows.delete'>): ApiOutput<'flows.delete'> {
    // Saved versions go with the flow through ON DELETE CASCADE.
    const { changes } = this.db.prepare('DELETE FROM flows WHERE id = ?').run(id);
    return { deleted: changes > 0 };
  }

  /** Newest first. */
  versions({ id }: ApiParsedInput<'flows.versions'>): ApiOutput<'flows.versions'> {
    this.requireRow(id);
    const rows = this.db
      .prepare('SELECT version, saved_at FROM flow_versions WHERE flow_id = ? ORDER BY version DESC')
      .all(id) as { version: number; saved_at: string }[];
    return rows.map((row) => ({ version: row.version, savedAt: row.saved_at }));
  }

  getVersion({ id, version }: ApiParsedInput<'flows.getVersion'>): FlowDocument {
    const flow = this.requireRow(id);
    const document = this.db
      .prepare('SELECT document FROM flow_versions WHERE flow_id = ? AND version = ?')
      .pluck()
      .get(id, version) as string | undefined;
    if (document === undefined) {
      throw new FlowsteadError(
        'FLOW_VERSION_NOT_FOUND',
        `Flow "${flow.name}" has no saved version ${version}. Its versions go from 1 to ${flow.version}; older ones may have been removed.`,
        { id, version, latest: flow.version },
      );
    }
    return parseStored(document, id, `${flow.name}, version ${version}`);
  }

  validate({ flow }: ApiParsedInput<'flows.validate'>): ApiOutput<'flows.validate'> {
    return this.validateFn(flow, this.context);
  }

  /** The saved document of a flow, for validation and for the executor to find helper flows. */
  findFlow(id: string): FlowDocument | undefined {
    const row = this.db.prepare('SELECT id, name, document FROM flows WHERE id = ?').get(id) as
      Pick<FlowRow, 'id' | 'name' | 'document'> | undefined;
    return row ? parseStored(row.document, row.id, row.name) : undefined;
  }

  private requireRow(id: string): FlowRow {
    const row = this.db.prepare('SELECT * FROM flows WHERE id = ?').get(id) as FlowRow | undefined;
    if (!row) {
      throw new FlowsteadError(
        'FLOW_NOT_FOUND',
        `There is no flow with id "${id}". It may have been deleted; refresh the flow list.`,
        { id },
      );
    }
    return row;
  }
}

function toSummary(row: FlowRow): FlowSummary {
  return {
    id: row.id,
    name: row.name,
    folder: row.folder,
    description: row.description,
    triggerKind: row.trigger_kind,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/** Reads a stored document back through the schema, so a damaged row is reported, not run. */
function parseStored(document: string, id: string, name: string): FlowDocument {
  let json: unknown;
  try {
    json = JSON.parse(document);
  } catch {
    throw corrupted(id, name, 'it is not valid JSON');
  }
  const parsed = flowDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupted(id, name, `${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function corrupted(id: string, name: string, reason: string): FlowsteadError {
  return new FlowsteadError(
    'FLOW_CORRUPTED',
    `The saved flow "${name}" (${id}) cannot be read: ${reason}. Open one of its earlier versions and save it again, or import the flow again.`,
    { id, reason },
  );
}
