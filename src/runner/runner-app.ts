import fs from 'node:fs';
import path from 'node:path';
import { openEngine, type EngineApp } from '../engine/app.js';
import type { Bundle } from '../engine/bundles/bundle-format.js';
import { importBundle } from '../engine/bundles/import-bundle.js';
import { verifyBundle } from '../engine/bundles/signing.js';
import type { RunDetail } from '../shared/api/contract.js';
import { dispatchApiCall } from '../shared/api/dispatch.js';
import type { ApiInput, ApiMethod, ApiOutput } from '../shared/api/contract.js';
import { BUILT_IN_CONNECTORS } from '../shared/connectors/builtin/index.js';
import type { ConnectorDefinition } from '../shared/connectors/definition.js';
import { FlowsteadError } from '../shared/errors.js';
import { EXIT, RunnerExit } from './commands/exit-codes.js';
import {
  createEnvSecretStore,
  credentialLookup,
  missingCredentialsError,
  readSecretsFile,
  resolveConnections,
  type CredentialLookup,
} from './env-secrets.js';
import type { Logger } from './logger.js';

/** Options every command that reads bundles shares. */
export interface BundleOptions {
  trustKey?: string[];
  allowUnsigned?: boolean;
}

export interface CredentialOptions {
  secretsFile?: string;
}

export const DEFAULT_DATA_DIR = './flowstead-data';

/** PEM keys from `--trust-key FILE…` and every *.pem in FLOWSTEAD_TRUSTED_KEYS_DIR. */
export function loadTrustedKeys(files: string[] = [], env: NodeJS.ProcessEnv = process.env): string[] {
  const keys: string[] = [];
  const read = (file: string) => {
    try {
      keys.push(fs.readFileSync(file, 'utf8'));
    } catch {
      throw new RunnerExit(EXIT.usage, 'TRUSTED_KEY_UNREADABLE', `The trusted key file ${file} cannot be read.`, {
        file,
      });
    }
  };
  files.forEach(read);
  const dir = env['FLOWSTEAD_TRUSTED_KEYS_DIR'];
  if (dir) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      throw new RunnerExit(
        EXIT.usage,
        'TRUSTED_KEYS_DIR_UNREADABLE',
        `FLOWSTEAD_TRUSTED_KEYS_DIR is ${dir}, which is not a readable folder.`,
      );
    }
    names
      .filter((name) => name.endsWith('.pem'))
      .sort()
      .forEach((name) => read(path.join(dir, name)));
  }
  return keys;
}

export function readBundleText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new RunnerExit(EXIT.usage, 'BUNDLE_UNREADABLE', `The bundle file ${file} does not exist or cannot be read.`, {
      file,
    });
  }
}

/** Reads and verifies a bundle; refusals keep the engine's code and message. */
export function loadBundle(file: string, options: BundleOptions): { bundle: Bundle; signedBy: string | null } {
  return verifyBundle(readBundleText(file), {
    trustedKeys: loadTrustedKeys(options.trustKey),
    allowUnsigned: options.allowUnsigned === true,
  });
}

/** Built-in connectors and the bundle's custom ones, by id. */
export function connectorFinder(bundles: Bundle[]): (id: string) => ConnectorDefinition | undefined {
  const byId = new Map<string, ConnectorDefinition>(BUILT_IN_CONNECTORS.map((c) => [c.id, c]));
  for (const bundle of bundles) for (const c of bundle.connectors) byId.set(c.id, c);
  return (id) => byId.get(id);
}

export function credentialsFrom(options: CredentialOptions): CredentialLookup {
  return credentialLookup(process.env, options.secretsFile ? readSecretsFile(options.secretsFile) : {});
}

export function dataDirFrom(option: string | undefined): string {
  return path.resolve(option ?? process.env['FLOWSTEAD_DATA_DIR'] ?? DEFAULT_DATA_DIR);
}

export interface RunnerEngineOptions {
  dataDir: string;
  bundles: Bundle[];
  lookup: CredentialLookup;
  logger: Logger;
  resumeUnfinished: boolean;
}

/**
 * Checks every credential first (nothing starts when one is missing), then opens the runner's
 * own database, imports the bundles (the bundle wins over an older copy) and creates their
 * connections with the non-secret settings; secrets stay in the variables.
 */
export async function openRunnerEngine(options: RunnerEngineOptions): Promise<EngineApp> {
  const connections = options.bundles.flatMap((b) => b.manifest.connections);
  const { resolved, missing } = resolveConnections(connections, connectorFinder(options.bundles), options.lookup);
  if (missing.length > 0) throw missingCredentialsError(missing);

  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const secrets = new Map(resolved.map((r) => [r.connection.id, r.secrets]));
  const engine = await openEngine({
    dbPath: path.join(options.dataDir, 'flowstead.db'),
    secrets: createEnvSecretStore(secrets),
    resumeUnfinished: false,
    version: process.env['npm_package_version'] ?? 'runner',
  });
  try {
    for (const bundle of options.bundles) {
      const summary = importBundle(engine.services, bundle, { replace: true });
      options.logger.info(
        { bundle: bundle.manifest.name, version: bundle.manifest.version, flows: summary.flows },
        'bundle imported',
      );
    }
    for (const { connection, settings, secrets: values } of resolved) {
      await engine.services.connections.save({
        id: connection.id,
        connector: connection.connector,
        name: connection.name,
        settings,
        secrets: values,
      });
    }
  } catch (error) {
    await engine.close();
    throw error;
  }
  attachRunLogging(engine, options.logger);
  // Resume only after the bundles are in place, so resumed runs see the current connections.
  if (options.resumeUnfinished) {
    const resumed = engine.services.executor.resumeUnfinished();
    if (resumed.length > 0) options.logger.info({ runs: resumed.length }, 'resuming unfinished runs');
  }
  return engine;
}

/** The flow name of a run, for logs and metrics (bulk runs have generated flows). */
export function runFlowName(engine: EngineApp, runId: string, flowId: string): string {
  return engine.services.flows.findFlow(flowId)?.name ?? engine.services.store.getRun(runId)?.flowName ?? flowId;
}

/** One log line per run start and finish (cards at debug), each with the run id and flow name. */
export function attachRunLogging(engine: EngineApp, logger: Logger): () => void {
  const runs = new Map<string, Logger>();
  const forRun = (runId: string) => runs.get(runId) ?? logger.child({ runId });
  return engine.onProgress((event) => {
    if (event.kind === 'run.started') {
      const child = logger.child({ runId: event.runId, flow: runFlowName(engine, event.runId, event.flowId) });
      runs.set(event.runId, child);
      child.info({ flowId: event.flowId }, 'run started');
    } else if (event.kind === 'run.finished') {
      const child = forRun(event.runId);
      const durationMs = engine.services.store.getRun(event.runId)?.durationMs ?? null;
      const line = { status: event.status, durationMs, ...(event.error ? { error: event.error } : {}) };
      if (event.status === 'failed') child.warn(line, 'run finished');
      else child.info(line, 'run finished');
      runs.delete(event.runId);
    } else if (event.kind === 'card.finished') {
      forRun(event.runId).debug(
        { scope: event.scope, card: event.nodeId, status: event.status, durationMs: event.durationMs },
        'card finished',
      );
    } else if (event.kind === 'items.progress') {
      forRun(event.runId).debug({ card: event.nodeId, done: event.done, total: event.total }, 'items progress');
    }
  });
}

/** Calls an engine handler through the contract, with the same validation as IPC and HTTP. */
export async function callApi<M extends ApiMethod>(
  engine: EngineApp,
  method: M,
  input: ApiInput<M>,
): Promise<ApiOutput<M>> {
  const result = await dispatchApiCall(engine.handlers, method, input);
  if (!result.ok) throw new FlowsteadError(result.error.code, result.error.message, result.error.details);
  return result.value as ApiOutput<M>;
}

const UNFINISHED = new Set(['queued', 'running', 'waiting']);

/** Waits until the run ends in this process and returns it as stored. */
export async function waitForRun(engine: EngineApp, runId: string, timeoutMs?: number): Promise<RunDetail> {
  const done = engine.services.executor.whenDone(runId);
  if (done) {
    if (timeoutMs === undefined) await done;
    else {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    }
  }
  return callApi(engine, 'runs.get', { runId });
}

export function isUnfinished(run: { status: string }): boolean {
  return UNFINISHED.has(run.status);
}

/** The entry flow a user named by id or (case-insensitive) name. */
export function findEntryFlow(bundles: Bundle[], nameOrId: string): { id: string; name: string } {
  const entries = bundles.flatMap((b) => b.manifest.entryFlows);
  const wanted = nameOrId.trim().toLocaleLowerCase();
  const found = entries.find((e) => e.id === nameOrId) ?? entries.find((e) => e.name.toLocaleLowerCase() === wanted);
  if (!found) {
    const list = entries.map((e) => `"${e.name}" (${e.id})`).join(', ');
    throw new RunnerExit(
      EXIT.usage,
      'FLOW_NOT_IN_BUNDLE',
      `The bundle has no entry flow named "${nameOrId}". Its entry flows: ${list}.`,
      { flows: entries.map((e) => ({ id: e.id, name: e.name })) },
    );
  }
  return found;
}
