import type Database from 'better-sqlite3';
import { BUILT_IN_CONNECTOR_IDS, setCustomConnectors } from '../../shared/cards/catalog.js';
import { BUILT_IN_CONNECTORS } from '../../shared/connectors/builtin/index.js';
import {
  connectorDefinitionSchema,
  type ConnectorDefinition,
  type ConnectorDefinitionInput,
} from '../../shared/connectors/definition.js';
import { FlowsteadError } from '../../shared/errors.js';
import { zodProblem } from './zod-problem.js';

/** Built-in connectors plus the custom ones stored in SQLite; keeps the card catalog in step. */
export class ConnectorCatalog {
  private custom = new Map<string, ConnectorDefinition>();

  constructor(private readonly db: Database.Database) {
    for (const row of db.prepare('SELECT definition FROM custom_connectors ORDER BY id').all() as {
      definition: string;
    }[]) {
      const parsed = connectorDefinitionSchema.safeParse(JSON.parse(row.definition));
      // A definition this build cannot read is skipped, not fatal: its flows show "unknown card".
      if (parsed.success) this.custom.set(parsed.data.id, parsed.data);
    }
    this.publish();
  }

  list(): { definition: ConnectorDefinition; builtIn: boolean }[] {
    return [
      ...BUILT_IN_CONNECTORS.map((definition) => ({ definition, builtIn: true })),
      ...[...this.custom.values()].map((definition) => ({ definition, builtIn: false })),
    ];
  }

  find(id: string): ConnectorDefinition | undefined {
    return BUILT_IN_CONNECTORS.find((c) => c.id === id) ?? this.custom.get(id);
  }

  get(id: string): ConnectorDefinition {
    const found = this.find(id);
    if (!found) {
      throw new FlowsteadError(
        'CONNECTOR_NOT_FOUND',
        `There is no connector \`${id}\`. Import or define it under Connections › Custom connectors first.`,
        { connector: id },
      );
    }
    return found;
  }

  /** Validates and stores a custom connector; its actions become cards at once. */
  saveCustom(input: ConnectorDefinitionInput | unknown): ConnectorDefinition {
    const parsed = connectorDefinitionSchema.safeParse(input);
    if (!parsed.success) throw zodProblem('CONNECTOR_INVALID', 'The connector definition', parsed.error);
    const definition = parsed.data;
    if (BUILT_IN_CONNECTOR_IDS.has(definition.id)) {
      throw new FlowsteadError(
        'CONNECTOR_ID_TAKEN',
        `The id \`${definition.id}\` belongs to a built-in connector; choose another id, e.g. \`${definition.id}-custom\`.`,
        { field: 'id' },
      );
    }
    const names = new Set<string>();
    for (const action of definition.actions) {
      if (names.has(action.name)) {
        throw new FlowsteadError(
          'CONNECTOR_INVALID',
          `Two actions are named \`${action.name}\`; action names must be unique.`,
          {
            field: 'actions',
          },
        );
      }
      names.add(action.name);
      if (action.kind === 'code') {
        throw new FlowsteadError(
          'CONNECTOR_INVALID',
          `Action \`${action.name}\` has kind "code": custom connectors describe HTTP requests only.`,
          { field: `actions.${action.name}.kind` },
        );
      }
    }
    this.db
      .prepare(
        'INSERT INTO custom_connectors (id, definition, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at',
      )
      .run(definition.id, JSON.stringify(definition), new Date().toISOString());
    this.custom.set(definition.id, definition);
    this.publish();
    return definition;
  }

  deleteCustom(id: string): void {
    if (!this.custom.has(id)) this.get(id);
    if (BUILT_IN_CONNECTOR_IDS.has(id)) {
      throw new FlowsteadError('CONNECTOR_BUILT_IN', `\`${id}\` is built in and cannot be deleted.`, { connector: id });
    }
    this.db.prepare('DELETE FROM custom_connectors WHERE id = ?').run(id);
    this.custom.delete(id);
    this.publish();
  }

  private publish(): void {
    setCustomConnectors([...this.custom.values()]);
  }
}
