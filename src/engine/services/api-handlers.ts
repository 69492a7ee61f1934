import type { ApiHandlers } from '../../shared/api/contract.js';
import { CARD_CATALOG } from '../../shared/cards/catalog.js';
import type { FlowService } from './flow-service.js';
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
}

/** Binds every method of the API contract to the engine service that implements it. */
export function createApiHandlers(services: EngineServices): ApiHandlers {
  const { flows, runs, tables, settings, info } = services;
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
    'tables.delete': (input) => tables.delete(input),
    'tables.clear': (input) => tables.clear(input),
    'tables.query': (input) => tables.query(input),
    'tables.insertRows': (input) => tables.insertRows(input),
    'tables.updateRow': (input) => tables.updateRow(input),
    'tables.deleteRows': (input) => tables.deleteRows(input),

    'catalog.list': () =>
      CARD_CATALOG.map((card) => ({ ...card, inputs: [...card.inputs], outputs: [...card.outputs] })),

    'settings.get': () => settings.get(),
    'settings.set': (input) => settings.set(input),
    'app.info': () => ({ ...info }),
  };
}
