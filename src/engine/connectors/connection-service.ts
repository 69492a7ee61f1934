import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Connection, ConnectionField, ConnectorDefinition } from '../../shared/connectors/definition.js';
import { FlowsteadError } from '../../shared/errors.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { ConnectorCatalog } from './connector-catalog.js';

type SettingValue = string | number | boolean;

export interface SaveConnectionInput {
  /** Absent: a new connection. */
  id?: string | undefined;
  connector: string;
  name: string;
  settings: Record<string, SettingValue>;
  /** Secret fields to set; `null` clears one; a field left out keeps its stored value. */
  secrets?: Record<string, string | null> | undefined;
}

/** What a connector action needs at run time: every field's value, and the secrets to scrub from errors. */
export interface ResolvedConnection {
  id: string;
  name: string;
  connector: ConnectorDefinition;
  values: Record<string, SettingValue>;
  secretValues: string[];
  /** Changes whenever settings or secrets change, so cached clients are rebuilt. */
  revision: string;
}

interface ConnectionRow {
  id: string;
  connector: string;
  name: string;
  settings: string;
  secrets_set: string;
  updated_at: string;
}

function toConnection(row: ConnectionRow): Connection {
  return {
    id: row.id,
    connector: row.connector,
    name: row.name,
    settings: JSON.parse(row.settings) as Record<string, SettingValue>,
    secretsSet: JSON.parse(row.secrets_set) as string[],
    updatedAt: row.updated_at,
  };
}

function checkValue(field: ConnectionField, value: SettingValue): SettingValue {
  const where = `Connection field \`${field.name}\` (${field.title})`;
  if (field.type === 'number') {
    const number = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(number))
      throw new FlowsteadError('CONNECTION_INVALID', `${where} must be a number.`, { field: field.name });
    return number;
  }
  if (field.type === 'boolean') {
    if (typeof value !== 'boolean')
      throw new FlowsteadError('CONNECTION_INVALID', `${where} must be true or false.`, { field: field.name });
    return value;
  }
  const text = String(value).trim();
  if (field.type === 'url' && text !== '' && !/^[a-z][a-z0-9+.-]*:\/\/[^\s/]+/i.test(text)) {
    throw new FlowsteadError('CONNECTION_INVALID', `${where} must be a URL such as https://example.com.`, {
      field: field.name,
    });
  }
  if (field.options && text !== '' && !field.options.includes(text)) {
    throw new FlowsteadError('CONNECTION_INVALID', `${where} must be one of ${field.options.join(', ')}.`, {
      field: field.name,
    });
  }
  return text;
}

/**
 * Connections: non-secret settings in SQLite, secret fields in the OS keychain (one entry per
 * connection id holding its secret fields as JSON). Secret values never leave this class except
 * to the connector runtime through `resolve`.
 */
export class ConnectionService {
  constructor(
    private readonly db: Database.Database,
    private readonly secrets: SecretStore,
    private readonly connectors: ConnectorCatalog,
  ) {}

  list(): Connection[] {
    return (this.db.prepare('SELECT * FROM connections ORDER BY connector, name').all() as ConnectionRow[]).map(
      toConnection,
    );
  }

  find(id: string): Connection | undefined {
    const row = this.db.prepare('SELECT * FROM connections WHERE id = ?').get(id) as ConnectionRow | undefined;
    return row ? toConnection(row) : undefined;
  }

  get(id: string): Connection {
    const found = this.find(id);
    if (!found) {
      throw new FlowsteadError(
        'CONNECTION_NOT_FOUND',
        `There is no connection \`${id}\`. Create it under Connections, or pick another one on the card.`,
        { connection: id },
      );
    }
    return found;
  }

  async save(input: SaveConnectionInput): Promise<Connection> {
    const connector = this.connectors.get(input.connector);
    const existing = input.id ? this.find(input.id) : undefined;
    if (existing && existing.connector !== input.connector) {
      throw new FlowsteadError(
        'CONNECTION_INVALID',
        `Connection \`${existing.name}\` belongs to ${existing.connector}; a connection cannot change its connector. Create a new one instead.`,
        { field: 'connector' },
      );
    }
    const name = input.name.trim();
    if (name === '')
      throw new FlowsteadError('CONNECTION_INVALID', 'A connection needs a name, e.g. "Okta production".', {
        field: 'name',
      });

    const fields = new Map(connector.fields.map((f) => [f.name, f]));
    const settings: Record<string, SettingValue> = {};
    for (const [key, value] of Object.entries(input.settings)) {
      const field = fields.get(key);
      if (!field) {
        throw new FlowsteadError('CONNECTION_INVALID', `${connector.name} connections have no field \`${key}\`.`, {
          field: key,
        });
      }
      if (field.secret) {
        throw new FlowsteadError(
          'CONNECTION_INVALID',
          `\`${key}\` is a secret: send it in \`secrets\`, so it goes to the OS keychain and never to the database.`,
          { field: key },
        );
      }
      settings[key] = checkValue(field, value);
    }
    for (const field of connector.fields) {
      if (field.secret) continue;
      if ((settings[field.name] === undefined || settings[field.name] === '') && field.default !== undefined) {
        settings[field.name] = field.default;
      }
      if (field.required && (settings[field.name] === undefined || settings[field.name] === '')) {
        throw new FlowsteadError('CONNECTION_INVALID', `Fill in \`${field.title}\` (${field.name}).`, {
          field: field.name,
        });
      }
    }

    const id = existing?.id ?? input.id ?? randomUUID();
    const stored = existing ? await this.readSecrets(id) : {};
    for (const [key, value] of Object.entries(input.secrets ?? {})) {
      if (!fields.get(key)?.secret) {
        throw new FlowsteadError(
          'CONNECTION_INVALID',
          `\`${key}\` is not a secret field of ${connector.name} connections.`,
          {
            field: key,
          },
        );
      }
      if (value === null || value === '') delete stored[key];
      else stored[key] = value;
    }
    // The keychain is written first: if it fails, the database still describes the old state.
    if (Object.keys(stored).length > 0) await this.secrets.set(id, JSON.stringify(stored));
    else if (existing) await this.secrets.delete(id);

    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO connections (id, connector, name, settings, secrets_set, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, settings = excluded.settings,
           secrets_set = excluded.secrets_set, updated_at = excluded.updated_at`,
      )
      .run(id, connector.id, name, JSON.stringify(settings), JSON.stringify(Object.keys(stored).sort()), now);
    return this.get(id);
  }

  /** Removes the connection and its keychain entry. */
  async delete(id: string): Promise<void> {
    this.get(id);
    await this.secrets.delete(id);
    this.db.prepare('DELETE FROM connections WHERE id = ?').run(id);
  }

  /** Settings and secrets together, for the connector runtime only. */
  async resolve(id: string, connectorId: string): Promise<ResolvedConnection> {
    const connection = this.get(id);
    if (connection.connector !== connectorId) {
      throw new FlowsteadError(
        'CONNECTION_WRONG_CONNECTOR',
        `Connection \`${connection.name}\` is a ${connection.connector} connection; this card needs a ${connectorId} connection.`,
        { connection: id },
      );
    }
    const connector = this.connectors.get(connectorId);
    const secrets = await this.readSecrets(id);
    for (const field of connector.fields) {
      if (field.secret && field.required && !secrets[field.name]) {
        throw new FlowsteadError(
          'CONNECTION_SECRET_MISSING',
          `Connection \`${connection.name}\` has no ${field.title} in the OS keychain. Open Connections, edit it and enter the ${field.title}.`,
          { connection: id, field: field.name },
        );
      }
    }
    return {
      id,
      name: connection.name,
      connector,
      values: { ...connection.settings, ...secrets },
      secretValues: Object.values(secrets).filter((v) => v.length > 0),
      revision: connection.updatedAt,
    };
  }

  private async readSecrets(id: string): Promise<Record<string, string>> {
    const raw = await this.secrets.get(id);
    if (!raw) return {};
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, string>;
    } catch {
      // Fall through: an entry written by something else is not ours to interpret.
    }
    throw new FlowsteadError(
      'CONNECTION_SECRET_UNREADABLE',
      `The keychain entry for connection ${id} is not in Flowstead's format. Edit the connection and enter its secrets again.`,
      { connection: id },
    );
  }
}
