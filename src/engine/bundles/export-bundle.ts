import type { CardDescriptor } from '../../shared/cards/descriptor.js';
import { BUILT_IN_CONNECTOR_IDS } from '../../shared/cards/catalog.js';
import type { ConnectorDefinition } from '../../shared/connectors/definition.js';
import { FlowsteadError } from '../../shared/errors.js';
import { FLOW_SCHEMA_VERSION, type FlowDocument, type JsonValue } from '../../shared/flow/schema.js';
import type { ConnectionService } from '../connectors/connection-service.js';
import type { ConnectorCatalog } from '../connectors/connector-catalog.js';
import type { FlowService } from '../services/flow-service.js';
import type { TableService } from '../services/table-service.js';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  bundleSchema,
  computeContentHash,
  type Bundle,
  type BundleConnection,
  type BundleContent,
  type BundleTable,
} from './bundle-format.js';
import { cardLabel, cardReferences, descriptorLookup } from './card-references.js';

export interface BundleSources {
  flows: FlowService;
  tables: TableService;
  connectors: ConnectorCatalog;
  connections: ConnectionService;
  /** The exporting app's version, recorded in the manifest. */
  flowsteadVersion: string;
}

export interface CreateBundleOptions {
  /** The flows the bundle starts; the helper flows they call come along. */
  flowIds: string[];
  name: string;
  version: string;
  /** Also carry the tables' rows (lookups, seed data); by default only their columns. */
  includeTableData?: boolean;
  /** The manifest's creation time; defaults to now. */
  now?: () => Date;
}

const ROW_PAGE = 1000;

/** Upper snake case for environment variable names: `Okta prod` → `OKTA_PROD`, `apiToken` → `API_TOKEN`. */
export function envName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

/** The environment variable the runner reads a connection field from, e.g. `FLOWSTEAD_CONN_OKTA_PROD_API_TOKEN`. */
export function connectionEnvVariable(connection: Pick<BundleConnection, 'envPrefix'>, field: string): string {
  return `${connection.envPrefix}${envName(field)}`;
}

/**
 * Collects the entry flows and everything they need into an unsigned bundle. Connections are
 * described by their non-secret settings and field names only: secret values are never read.
 */
export function createBundle(sources: BundleSources, options: CreateBundleOptions): Bundle {
  if (options.flowIds.length === 0) {
    throw new FlowsteadError('BUNDLE_EMPTY', 'Choose at least one flow to put in the bundle.');
  }
  const customConnectors = sources.connectors
    .list()
    .filter((c) => !c.builtIn)
    .map((c) => c.definition);
  const descriptors = descriptorLookup(customConnectors);

  const entryFlows = [...new Set(options.flowIds)].map((id) => {
    const flow = sources.flows.findFlow(id);
    if (!flow) {
      throw new FlowsteadError(
        'BUNDLE_FLOW_NOT_FOUND',
        `There is no flow with id "${id}" to export. It may have been deleted; refresh the flow list and choose again.`,
        { flowId: id },
      );
    }
    return flow;
  });

  const collected = collectFlows(entryFlows, sources, descriptors);
  const connectors = new Map<string, ConnectorDefinition>();
  const tables = new Map<string, BundleTable>();
  const connections = new Map<string, BundleConnection>();
  const usedPrefixes = new Set<string>();
  // Tables a flow creates itself by a fixed name need not exist when exporting.
  const createdByFlows = tableNamesCreatedBy(collected, descriptors);

  for (const flow of collected) {
    for (const node of flow.nodes) {
      const descriptor = descriptors.get(node.type)!;
      const connectorId = descriptor.connector?.id;
      if (connectorId && !BUILT_IN_CONNECTOR_IDS.has(connectorId) && !connectors.has(connectorId)) {
        connectors.set(connectorId, sources.connectors.get(connectorId));
      }
      for (const reference of cardReferences(node, descriptor)) {
        if (reference.kind === 'table') {
          if (createdByFlows.has(reference.value.toLocaleLowerCase())) continue;
          const table = describeTable(sources, reference.value, options.includeTableData === true, () =>
            cardLabel(flow, node),
          );
          if (!tables.has(table.id)) tables.set(table.id, table);
        } else if (reference.kind === 'connection' && !connections.has(reference.value)) {
          const connection = describeConnection(sources, reference.value, usedPrefixes, () => cardLabel(flow, node));
          connections.set(connection.id, connection);
          const definition = sources.connectors.get(connection.connector);
          if (!BUILT_IN_CONNECTOR_IDS.has(definition.id)) connectors.set(definition.id, definition);
        }
      }
    }
  }

  const content: BundleContent = {
    manifest: {
      name: options.name.trim(),
      version: options.version.trim(),
      flowsteadVersion: sources.flowsteadVersion,
      schemaVersion: FLOW_SCHEMA_VERSION,
      createdAt: (options.now?.() ?? new Date()).toISOString(),
      entryFlows: entryFlows.map((flow) => ({ id: flow.id, name: flow.name, trigger: flow.trigger })),
      connections: [...connections.values()].sort((a, b) => a.id.localeCompare(b.id)),
    },
    flows: collected,
    connectors: [...connectors.values()].sort((a, b) => a.id.localeCompare(b.id)),
    tables: [...tables.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
  };
  const bundle = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    ...content,
    manifest: { ...content.manifest, contentHash: computeContentHash(content) },
  };
  // What we write must be what the runner accepts: a name or version the schema refuses is caught here.
  const parsed = bundleSchema.safeParse(bundle);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new FlowsteadError(
      'BUNDLE_OPTIONS_INVALID',
      `The bundle cannot be created: \`${field}\`: ${issue?.message ?? 'invalid'}. Check the bundle's name and version.`,
      { field },
    );
  }
  return bundle as Bundle;
}

/** The entry flows first, then every helper they call, directly or through other helpers (sorted by id). */
function collectFlows(
  entryFlows: FlowDocument[],
  sources: BundleSources,
  descriptors: Map<string, CardDescriptor>,
): FlowDocument[] {
  const found = new Map(entryFlows.map((flow) => [flow.id, flow]));
  const helpers = new Map<string, FlowDocument>();
  const queue = [...entryFlows];
  const unknown: string[] = [];
  while (queue.length > 0) {
    const flow = queue.shift()!;
    for (const node of flow.nodes) {
      const descriptor = descriptors.get(node.type);
      if (!descriptor) {
        unknown.push(`${cardLabel(flow, node)} has the unknown type \`${node.type}\``);
        continue;
      }
      for (const reference of cardReferences(node, descriptor)) {
        if (reference.kind !== 'flow' || found.has(reference.value)) continue;
        const helper = sources.flows.findFlow(reference.value);
        if (!helper) {
          throw new FlowsteadError(
            'BUNDLE_HELPER_NOT_FOUND',
            `${cardLabel(flow, node)} calls the helper flow "${reference.value}", which does not exist. Pick an existing helper flow on the card, or remove the card, then export again.`,
            { flowId: flow.id, nodeId: node.id, helper: reference.value },
          );
        }
        found.set(helper.id, helper);
        helpers.set(helper.id, helper);
        queue.push(helper);
      }
    }
  }
  if (unknown.length > 0) {
    throw new FlowsteadError(
      'BUNDLE_UNKNOWN_CARD',
      `${unknown.join('; ')}. Define or import the connector these cards belong to, or remove the cards, then export again.`,
      { cards: unknown },
    );
  }
  return [...entryFlows, ...[...helpers.values()].sort((a, b) => a.id.localeCompare(b.id))];
}

function tableNamesCreatedBy(flows: FlowDocument[], descriptors: Map<string, CardDescriptor>): Set<string> {
  const names = new Set<string>();
  for (const flow of flows) {
    for (const node of flow.nodes) {
      if (node.type !== 'table.create' || !descriptors.has(node.type)) continue;
      const binding = node.inputs.name;
      if (binding?.kind === 'literal' && typeof binding.value === 'string')
        names.add(binding.value.toLocaleLowerCase());
    }
  }
  return names;
}

function describeTable(sources: BundleSources, idOrName: string, withRows: boolean, label: () => string): BundleTable {
  let info;
  try {
    info = sources.tables.get(idOrName);
  } catch (error) {
    if (error instanceof FlowsteadError && error.code === 'TABLE_NOT_FOUND') {
      throw new FlowsteadError(
        'BUNDLE_TABLE_NOT_FOUND',
        `${label()} uses the table "${idOrName}", which does not exist. Create the table under Tables or pick another one on the card, then export again.`,
        { table: idOrName },
      );
    }
    throw error;
  }
  const table: BundleTable = { id: info.id, name: info.name, columns: info.columns };
  if (withRows) {
    const rows: Record<string, JsonValue>[] = [];
    for (let offset = 0; offset < info.rowCount; offset += ROW_PAGE) {
      const page = sources.tables.query({ tableId: info.id, offset, limit: ROW_PAGE });
      rows.push(...page.rows.map((row) => row.values));
      if (page.rows.length < ROW_PAGE) break;
    }
    table.rows = rows;
  }
  return table;
}

function describeConnection(
  sources: BundleSources,
  id: string,
  usedPrefixes: Set<string>,
  label: () => string,
): BundleConnection {
  const connection = sources.connections.find(id);
  if (!connection) {
    throw new FlowsteadError(
      'BUNDLE_CONNECTION_NOT_FOUND',
      `${label()} uses the connection "${id}", which does not exist. Pick a connection on the card (or create one under Connections), then export again.`,
      { connection: id },
    );
  }
  const definition = sources.connectors.get(connection.connector);
  const base = `FLOWSTEAD_CONN_${envName(connection.name) || envName(connection.id) || 'CONNECTION'}`;
  let prefix = `${base}_`;
  for (let n = 2; usedPrefixes.has(prefix); n++) prefix = `${base}_${n}_`;
  usedPrefixes.add(prefix);
  const secretFields = definition.fields.filter((f) => f.secret).map((f) => f.name);
  // Only fields the connector declares as non-secret leave the engine, even if settings held more.
  const settings = Object.fromEntries(
    Object.entries(connection.settings).filter(([name]) => definition.fields.some((f) => f.name === name && !f.secret)),
  );
  return {
    id: connection.id,
    name: connection.name,
    connector: connection.connector,
    // What the server must provide: required and secret fields, and optional ones this connection sets.
    fields: definition.fields
      .filter((f) => f.required || f.secret || connection.settings[f.name] !== undefined)
      .map((f) => f.name),
    secretFields,
    envPrefix: prefix,
    settings,
  };
}
