import type { ApiHandlers } from '../../shared/api/contract.js';
import { allCardDescriptors } from '../../shared/cards/catalog.js';
import type { ConnectionService } from '../connectors/connection-service.js';
import type { ConnectorCatalog } from '../connectors/connector-catalog.js';
import type { ConnectorRuntime } from '../connectors/runtime/connector-runtime.js';
import { connectorFromOpenApi } from '../connectors/openapi.js';
import type { FlowService } from './flow-service.js';
import type { BundleService } from '../bundles/bundle-service.js';
import type { BulkRunService } from './bulk-run-service.js';
import type { RunService } from './run-service.js';
import type { SettingsService } from './settings-service.js';
import type { TableService } from './table-service.js';

export interface EngineServices {
  /** What Settings shows about this installation. */
  info: { version: string; dbPath: string };
  flows: FlowService;
  runs: RunService;
  tables: TableService;
  settings: SettingsService;
  connectors: ConnectorCatalog;
  connections: ConnectionService;
  connectorRuntime: ConnectorRuntime;
  bulk: BulkRunService;
  bundles: BundleService;
}

/** Binds every method of the API contract to the engine service that implements it. */
export function createApiHandlers(services: EngineServices): ApiHandlers {
  const { flows, runs, tables, settings, info, connectors, connections, connectorRuntime, bulk, bundles } = services;
  return {
    'flows.list': (input) => flows.list(input),
    'flows.get': (input) => flows.get(input),
    'flows.save': (input) => flows.save(input),
    'flows.delete': (input) => flows.delete(input),
    'flows.versions': (input) => flows.versions(input),
    'flows.getVersion': (input) => flows.getVersion(input),
    'flows.validate': (input) => flows.validate(input),

    'runs.start': (input) => runs.start(input),
    'runs.get': (input) => runs.get(input),
    'runs.list': (input) => runs.list(input),
    'runs.steps': (input) => runs.steps(input),
    'runs.cancel': (input) => runs.cancel(input),

    'tables.list': () => tables.list(),
    'tables.create': (input) => tables.create(input),
    'tables.setColumnIndex': (input) => tables.setColumnIndex(input),
    'tables.delete': (input) => tables.delete(input),
    'tables.clear': (input) => tables.clear(input),
    'tables.query': (input) => tables.query(input),
    'tables.insertRows': (input) => tables.insertRows(input),
    'tables.updateRow': (input) => tables.updateRow(input),
    'tables.deleteRows': (input) => tables.deleteRows(input),

    'catalog.list': () =>
      allCardDescriptors().map((card) => ({ ...card, inputs: [...card.inputs], outputs: [...card.outputs] })),

    'bulk.start': (input) => bulk.start(input),
    'bulk.results': (input) => bulk.results(input),
    'bulk.cancel': (input) => bulk.cancel(input),
    'bulk.resume': (input) => bulk.resume(input),

    'connectors.list': () => {
      const counts = new Map<string, number>();
      for (const c of connections.list()) counts.set(c.connector, (counts.get(c.connector) ?? 0) + 1);
      return connectors.list().map((c) => ({ ...c, connections: counts.get(c.definition.id) ?? 0 }));
    },
    'connectors.save': (input) => connectors.saveCustom(input.definition),
    'connectors.delete': (input) => {
      connectors.deleteCustom(input.id);
      return { deleted: true };
    },
    'connectors.fromOpenApi': (input) =>
      connectorFromOpenApi(input.document, {
        ...(input.id ? { id: input.id } : {}),
        ...(input.operations ? { operations: input.operations } : {}),
      }),

    'bundles.signingKey': () => bundles.signingKey(),
    'bundles.createSigningKey': (input) => bundles.createSigningKey(input),
    'bundles.export': (input) => bundles.export(input),
    'bundles.import': (input) => bundles.import(input),

    'connections.list': () => connections.list(),
    'connections.save': (input) => connections.save(input),
    'connections.delete': async (input) => {
      await connections.delete(input.id);
      return { deleted: true };
    },
    'connections.test': (input) => connectorRuntime.test(input.id),

    'settings.get': () => settings.get(),
    'settings.set': (input) => settings.set(input),
    'app.info': () => ({ ...info }),
  };
}
