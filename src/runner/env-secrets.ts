import fs from 'node:fs';
import { connectionEnvVariable } from '../engine/bundles/export-bundle.js';
import type { BundleConnection } from '../engine/bundles/bundle-format.js';
import type { SecretStore } from '../engine/secrets/secret-store.js';
import type { ConnectorDefinition } from '../shared/connectors/definition.js';
import { FlowsteadError } from '../shared/errors.js';
import { EXIT, RunnerExit } from './commands/exit-codes.js';

/** Where the runner reads credentials: a secrets file (if given) first, then the environment. */
export type CredentialLookup = (variable: string) => string | undefined;

export function credentialLookup(env: NodeJS.ProcessEnv, fileValues: Record<string, string> = {}): CredentialLookup {
  return (variable) => {
    const value = Object.prototype.hasOwnProperty.call(fileValues, variable) ? fileValues[variable] : env[variable];
    return value === undefined || value === '' ? undefined : value;
  };
}

/**
 * Reads `--secrets-file`: a JSON object of variable → value, or KEY=VALUE lines (# comments,
 * optional `export ` and quotes). Refused when group or others may read it: secrets belong to
 * the runner's user alone.
 */
export function readSecretsFile(file: string): Record<string, string> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new RunnerExit(
      EXIT.usage,
      'SECRETS_FILE_MISSING',
      `The secrets file ${file} does not exist or cannot be read.`,
    );
  }
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new RunnerExit(
      EXIT.usage,
      'SECRETS_FILE_PERMISSIONS',
      `The secrets file ${file} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}). Run \`chmod 600 ${file}\` so only the runner's user can read it, then start again.`,
      { file, mode: (stat.mode & 0o777).toString(8) },
    );
  }
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // The parser's message may quote the file's content: keep only its position.
      const where = error instanceof Error ? (/position \d+/.exec(error.message)?.[0] ?? '') : '';
      throw new RunnerExit(EXIT.usage, 'SECRETS_FILE_INVALID', `The secrets file ${file} is not valid JSON ${where}.`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new RunnerExit(EXIT.usage, 'SECRETS_FILE_INVALID', `The secrets file ${file} must be a JSON object.`);
    }
    return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  const values: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      throw new RunnerExit(
        EXIT.usage,
        'SECRETS_FILE_INVALID',
        `Line ${index + 1} of the secrets file ${file} is not KEY=VALUE.`,
        { line: index + 1 },
      );
    }
    let value = match[2]!;
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
      value = value.slice(1, -1);
    }
    values[match[1]!] = value;
  });
  return values;
}

export interface MissingCredential {
  connectionId: string;
  connectionName: string;
  field: string;
  variable: string;
}

export interface ResolvedConnectionConfig {
  connection: BundleConnection;
  /** Non-secret settings: the bundle's, overridden by any variable set for the field. */
  settings: Record<string, string | number | boolean>;
  secrets: Record<string, string>;
}

/**
 * A secret field is needed when the connector marks it required, or, for connectors whose
 * auth scheme is a setting (HTTP), when that scheme is not "none".
 */
function secretNeeded(connection: BundleConnection, definition: ConnectorDefinition | undefined, field: string) {
  const declared = definition?.fields.find((f) => f.name === field);
  if (!declared || declared.required) return true;
  const scheme = connection.settings['authScheme'];
  return typeof scheme === 'string' && scheme !== 'none';
}

/** Every connection's settings and secrets from the variables, and every missing variable. */
export function resolveConnections(
  connections: BundleConnection[],
  findConnector: (id: string) => ConnectorDefinition | undefined,
  lookup: CredentialLookup,
): { resolved: ResolvedConnectionConfig[]; missing: MissingCredential[] } {
  const resolved: ResolvedConnectionConfig[] = [];
  const missing: MissingCredential[] = [];
  for (const connection of connections) {
    const definition = findConnector(connection.connector);
    const settings = { ...connection.settings };
    const secrets: Record<string, string> = {};
    for (const field of connection.fields) {
      const variable = connectionEnvVariable(connection, field);
      const value = lookup(variable);
      if (connection.secretFields.includes(field)) {
        if (value !== undefined) secrets[field] = value;
        else if (secretNeeded(connection, definition, field)) {
          missing.push({ connectionId: connection.id, connectionName: connection.name, field, variable });
        }
      } else if (value !== undefined) {
        const type = definition?.fields.find((f) => f.name === field)?.type;
        settings[field] = type === 'boolean' ? value === 'true' : type === 'number' ? Number(value) : value;
      }
    }
    resolved.push({ connection, settings, secrets });
  }
  return { resolved, missing };
}

export function missingCredentialsError(missing: MissingCredential[]): RunnerExit {
  const lines = missing.map((m) => `  ${m.variable}  (${m.field} of connection "${m.connectionName}")`);
  return new RunnerExit(
    EXIT.missingCredentials,
    'CREDENTIALS_MISSING',
    `Missing credentials: set these environment variables (or put them in --secrets-file) and start again:\n${lines.join('\n')}`,
    { variables: missing.map((m) => m.variable), missing },
  );
}

/**
 * The engine's SecretStore over the runner's variables: read-only, one JSON entry per
 * connection id, as ConnectionService expects. Writing the same value back is allowed (saving a
 * connection does that); anything else is refused with where secrets come from on a server.
 */
export function createEnvSecretStore(secretsByConnection: ReadonlyMap<string, Record<string, string>>): SecretStore {
  const entry = (account: string): string | null => {
    const secrets = secretsByConnection.get(account);
    return secrets && Object.keys(secrets).length > 0 ? JSON.stringify(secrets) : null;
  };
  const readOnly = () =>
    new FlowsteadError(
      'SECRETS_READ_ONLY',
      'flowstead-runner reads connection secrets from its environment or --secrets-file only. Set the FLOWSTEAD_CONN_… variables on the server and restart the runner.',
    );
  return {
    get: async (account) => entry(account),
    set: async (account, secret) => {
      if (entry(account) !== secret) throw readOnly();
    },
    delete: async (account) => {
      if (entry(account) !== null) throw readOnly();
      return false;
    },
    list: async () => [...secretsByConnection.keys()].filter((id) => entry(id) !== null).sort(),
  };
}
