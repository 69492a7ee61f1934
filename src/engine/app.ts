import type { ApiHandlers, ProgressEvent } from '../shared/api/contract.js';
import { findDescriptor } from '../shared/cards/catalog.js';
import { CARD_IMPLEMENTATIONS } from './cards/registry.js';
import { Executor } from './executor/executor.js';
import { RunStore } from './executor/run-store.js';
import { createApiHandlers } from './services/api-handlers.js';
import { FlowService } from './services/flow-service.js';
import { RunService } from './services/run-service.js';
import {
  BULK_ROW_CARD,
  BULK_ROWS_CARD,
  BulkRunService,
  bulkRowCard,
  bulkRowsCard,
} from './services/bulk-run-service.js';
import { SettingsService } from './services/settings-service.js';
import { TableService } from './services/table-service.js';
import { openDatabase } from './store/database.js';
import { BundleService } from './bundles/bundle-service.js';
import { ConnectionService } from './connectors/connection-service.js';
import { ConnectorCatalog } from './connectors/connector-catalog.js';
import { ConnectorRuntime } from './connectors/runtime/connector-runtime.js';
import { createKeychainSecretStore, type SecretStore } from './secrets/secret-store.js';
import { closeRangeReaders } from './services/range-reader.js';

/** The engine as the desktop shell and the runner see it: API handlers plus a progress stream. */
export interface EngineApp {
  readonly handlers: ApiHandlers;
  /** Subscribes to progress events; returns the unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /** Stops active runs at their last checkpoint (they resume on the next open) and closes the database. */
  close(): Promise<void>;
  /** The services behind the API, for the headless runner (bundles, queue workers). */
  readonly services: EngineInternals;
}

export interface EngineInternals {
  flows: FlowService;
  tables: TableService;
  settings: SettingsService;
  connectors: ConnectorCatalog;
  connections: ConnectionService;
  runs: RunService;
  bulk: BulkRunService;
  executor: Executor;
  store: RunStore;
}

export interface EngineOptions {
  /** SQLite database file. */
  dbPath: string;
  /** The app's version, shown in Settings. */
  version?: string;
  /** Where connection secrets live; default the OS keychain. */
  secrets?: SecretStore;
  /**
   * Continue runs left unfinished by the last process (default true). Queue workers sharing a
   * database turn this off: each run resumes only in the worker its job is delivered to.
   */
  resumeUnfinished?: boolean;
}

/** Opens the database, resumes unfinished runs and returns the engine. */
export async function openEngine(options: EngineOptions): Promise<EngineApp> {
  const db = openDatabase(options.dbPath);
  const store = new RunStore(db);
  const tables = new TableService(db);
  const connectors = new ConnectorCatalog(db);
  const secrets = options.secrets ?? createKeychainSecretStore();
  const connections = new ConnectionService(db, secrets, connectors);
  const flows = new FlowService(db, { findDescriptor, findConnection: (id) => connections.find(id) });
  const settings = new SettingsService(db);
  const connectorRuntime = new ConnectorRuntime(connections);
  const executor = new Executor({
    store,
    findImplementation: (type) =>
      CARD_IMPLEMENTATIONS.get(type) ??
      connectorRuntime.implementationFor(type) ??
      (type === BULK_ROWS_CARD ? bulkRowsCard : type === BULK_ROW_CARD ? bulkRowCard : undefined),
    services: { tables },
  });
  const runs = new RunService(flows, executor, store);
  const bulk = new BulkRunService(flows, executor, store, tables);
  const bundles = new BundleService(
    { flows, tables, connectors, connections, flowsteadVersion: options.version ?? 'development' },
    secrets,
  );
  const handlers = committingBeforeAnswer(
    store,
    createApiHandlers({
      flows,
      runs,
      tables,
      settings,
      connectors,
      connections,
      connectorRuntime,
      bulk,
      bundles,
      info: { version: options.version ?? 'development', dbPath: options.dbPath },
    }),
  );
  if (options.resumeUnfinished !== false) executor.resumeUnfinished();
  return {
    services: { flows, tables, settings, connectors, connections, runs, bulk, executor, store },
    handlers,
    onProgress: (listener) => executor.onProgress(listener),
    async close() {
      await executor.suspendAll();
      await closeRangeReaders(db.name);
      db.close();
    },
  };
}

/**
 * Runs hold transactional card writes open until their group commit (one turn of the event loop);
 * a change made through the API joins that transaction, so it is committed before the API answers.
 */
function committingBeforeAnswer(store: RunStore, handlers: ApiHandlers): ApiHandlers {
  const wrapped: Record<string, (input: never) => unknown> = {};
  for (const [method, handler] of Object.entries(handlers) as [string, (input: never) => unknown][]) {
    wrapped[method] = (input) => {
      const result = handler(input);
      if (result instanceof Promise) {
        return result.then((value: unknown) => {
          store.commitHeldWork();
          return value;
        });
      }
      store.commitHeldWork();
      return result;
    };
  }
  return wrapped as unknown as ApiHandlers;
}
