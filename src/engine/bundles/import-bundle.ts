import type { TableInfo } from '../../shared/api/contract.js';
import { BUILT_IN_CONNECTOR_IDS } from '../../shared/cards/catalog.js';
import type { CardDescriptor } from '../../shared/cards/descriptor.js';
import type { ConnectorDefinition } from '../../shared/connectors/definition.js';
import { FlowsteadError } from '../../shared/errors.js';
import type { FlowDocument } from '../../shared/flow/schema.js';
import type { ConnectorCatalog } from '../connectors/connector-catalog.js';
import type { FlowService } from '../services/flow-service.js';
import type { TableService } from '../services/table-service.js';
import { canonicalJson, type Bundle, type BundleConnection, type BundleTable } from './bundle-format.js';
import { cardReferences, descriptorLookup } from './card-references.js';

export interface ImportTargets {
  flows: FlowService;
  tables: TableService;
  connectors: ConnectorCatalog;
}

export interface ImportBundleOptions {
  /** Overwrite flows and custom connectors whose id exists here with different content. */
  replace?: boolean;
}

export interface ImportedTable {
  /** The table's id in the bundle. */
  bundleId: string;
  /** The table's id here: the bundle's id, or an existing or new table's id that flows now point to. */
  id: string;
  name: string;
  created: boolean;
  rowsInserted: number;
}

export interface ImportSummary {
  /** Every flow of the bundle, now saved here (unchanged ones included). */
  flows: string[];
  /** Custom connectors saved here (unchanged ones included). */
  connectors: string[];
  tables: ImportedTable[];
  /** The connections to set up before the flows can run. */
  connectionsNeeded: BundleConnection[];
}

type TablePlan = ImportedTable & { rows: BundleTable['rows'] };

/**
 * Imports a verified bundle. Everything is checked before the first write (conflicting flows and
 * connectors, table columns), and a failure while writing undoes what was already written.
 */
export function importBundle(targets: ImportTargets, bundle: Bundle, options: ImportBundleOptions = {}): ImportSummary {
  const replace = options.replace === true;
  const connectorPlan = planConnectors(targets, bundle.connectors, replace);
  const tablePlan = bundle.tables.map((table) => planTable(targets, table));
  const tableIds = new Map(tablePlan.map((t) => [t.bundleId, t.id]));
  const descriptors = descriptorLookup(bundle.connectors);
  const flows = bundle.flows.map((flow) => pointAtTables(flow, tableIds, descriptors));
  const flowPlan = planFlows(targets, flows, replace);

  const undo: (() => void)[] = [];
  try {
    for (const { definition, previous } of connectorPlan.filter((p) => p.write)) {
      targets.connectors.saveCustom(definition);
      undo.push(() =>
        previous ? targets.connectors.saveCustom(previous) : targets.connectors.deleteCustom(definition.id),
      );
    }
    for (const table of tablePlan.filter((t) => t.created)) {
      const created = targets.tables.create({ name: table.name, columns: bundleColumns(bundle, table.bundleId) });
      table.id = created.id;
      undo.push(() => targets.tables.delete({ tableId: created.id }));
      if (table.rows && table.rows.length > 0) {
        table.rowsInserted = targets.tables.insertRows({ tableId: created.id, rows: table.rows }).ids.length;
      }
    }
    // Tables created just now have ids only now: point the flows at them.
    const createdIds = new Map(tablePlan.map((t) => [t.bundleId, t.id]));
    for (const { flow, previous } of flowPlan.filter((p) => p.write)) {
      targets.flows.save({ flow: pointAtTables(flow, createdIds, descriptors) });
      undo.push(() => (previous ? targets.flows.save({ flow: previous }) : targets.flows.delete({ id: flow.id })));
    }
  } catch (error) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // Undo is best effort; the original error is what the admin must see.
      }
    }
    throw error;
  }

  return {
    flows: flows.map((f) => f.id),
    connectors: connectorPlan.map((p) => p.definition.id),
    tables: tablePlan.map(({ rows: _rows, ...table }) => table),
    connectionsNeeded: bundle.manifest.connections,
  };
}

function planConnectors(targets: ImportTargets, definitions: ConnectorDefinition[], replace: boolean) {
  const conflicts: string[] = [];
  const plan = definitions.map((definition) => {
    if (BUILT_IN_CONNECTOR_IDS.has(definition.id)) {
      throw new FlowsteadError(
        'BUNDLE_IMPORT_CONFLICT',
        `The bundle carries a connector with the id "${definition.id}", which belongs to a built-in connector. The bundle was made by an incompatible Flowstead; export it again from an up-to-date Flowstead.`,
        { connector: definition.id },
      );
    }
    const badAction = definition.actions.find((a) => a.kind === 'code');
    if (badAction) {
      throw new FlowsteadError(
        'BUNDLE_FORMAT',
        `Connector "${definition.name}" in the bundle has the code action \`${badAction.name}\`; custom connectors describe HTTP requests only. Export the bundle again from Flowstead.`,
        { connector: definition.id, action: badAction.name },
      );
    }
    const previous = targets.connectors.find(definition.id);
    const same = previous !== undefined && canonicalJson(previous) === canonicalJson(definition);
    if (previous && !same && !replace) conflicts.push(`connector "${previous.name}" (${definition.id})`);
    return { definition, previous, write: !same };
  });
  if (conflicts.length > 0) throw conflict(conflicts);
  return plan;
}

/** Uses the table with the bundle's id or name when its columns fit, else plans a new one. */
function planTable(targets: ImportTargets, table: BundleTable): TablePlan {
  const existing = findTable(targets, table.id) ?? findTable(targets, table.name);
  const base = { bundleId: table.id, name: table.name, rows: table.rows, rowsInserted: 0 };
  if (!existing) return { ...base, id: table.id, created: true };
  const missing = table.columns.filter(
    (column) => !existing.columns.some((c) => c.name === column.name && c.type === column.type),
  );
  if (missing.length > 0) {
    const list = missing.map((c) => `${c.name} (${c.type})`).join(', ');
    throw new FlowsteadError(
      'BUNDLE_IMPORT_CONFLICT',
      `The table "${existing.name}" exists here but lacks the columns the bundle's flows expect: ${list}. Add those columns, or rename the existing table, then import again.`,
      { table: existing.name, columns: missing },
    );
  }
  // Rows go only into a new table: an existing one keeps its data, without duplicates.
  return { ...base, id: existing.id, created: false };
}

function findTable(targets: ImportTargets, idOrName: string): TableInfo | undefined {
  try {
    return targets.tables.get(idOrName);
  } catch (error) {
    if (error instanceof FlowsteadError && error.code === 'TABLE_NOT_FOUND') return undefined;
    throw error;
  }
}

function bundleColumns(bundle: Bundle, tableId: string): BundleTable['columns'] {
  return bundle.tables.find((t) => t.id === tableId)!.columns;
}

function planFlows(targets: ImportTargets, flows: FlowDocument[], replace: boolean) {
  const conflicts: string[] = [];
  const plan = flows.map((flow) => {
    const previous = targets.flows.findFlow(flow.id);
    const same = previous !== undefined && canonicalJson(previous) === canonicalJson(flow);
    if (previous && !same && !replace) conflicts.push(`flow "${previous.name}" (${flow.id})`);
    return { flow, previous, write: !same };
  });
  if (conflicts.length > 0) throw conflict(conflicts);
  return plan;
}

function conflict(items: string[]): FlowsteadError {
  return new FlowsteadError(
    'BUNDLE_IMPORT_CONFLICT',
    `These already exist here with different content: ${items.join(', ')}. Import with "replace" to overwrite them (their earlier versions stay in the history), or delete them first.`,
    { conflicts: items },
  );
}

/** The flow with table inputs that name a bundle table by id changed to that table's id here. */
function pointAtTables(
  flow: FlowDocument,
  tableIds: Map<string, string>,
  descriptors: Map<string, CardDescriptor>,
): FlowDocument {
  let changed = false;
  const nodes = flow.nodes.map((node) => {
    const descriptor = descriptors.get(node.type);
    if (!descriptor) return node;
    let inputs = node.inputs;
    for (const reference of cardReferences(node, descriptor)) {
      const target = reference.kind === 'table' ? tableIds.get(reference.value) : undefined;
      if (target === undefined || target === reference.value) continue;
      inputs = { ...inputs, [reference.input]: { kind: 'literal', value: target } };
    }
    if (inputs === node.inputs) return node;
    changed = true;
    return { ...node, inputs };
  });
  return changed ? { ...flow, nodes } : flow;
}
