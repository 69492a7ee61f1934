import type { Migration } from './migration.js';

/**
 * Connectors and connections (version 3). A connection row holds only non-secret settings; its
 * secret fields live in the OS keychain under the connection id. Custom connectors are stored as
 * their validated JSON definition.
 */
export const connectorSchemaMigrations: readonly Migration[] = [
  {
    version: 3,
    name: 'connections and custom connectors',
    up(db) {
      db.exec(`
        CREATE TABLE connections (
          id TEXT PRIMARY KEY,
          connector TEXT NOT NULL,
          name TEXT NOT NULL,
          settings TEXT NOT NULL,
          secrets_set TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE INDEX connections_by_connector ON connections (connector, name);
        CREATE TABLE custom_connectors (
          id TEXT PRIMARY KEY,
          definition TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
      `);
    },
  },
];
