import type { Migration } from './migration.js';

/**
 * Flows, their saved versions, data tables and settings (version 1).
 * JSON documents are stored as text; table rows keep their values as one JSON object so a
 * table's columns can change without a schema migration.
 */
export const coreSchema: Migration = {
  version: 1,
  name: 'flows, flow versions, data tables and settings',
  up(db) {
    db.exec(`
      CREATE TABLE flows (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        folder TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        trigger_kind TEXT NOT NULL,
        document TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE flow_versions (
        flow_id TEXT NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        document TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (flow_id, version)
      );

      CREATE TABLE data_tables (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        columns TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      -- Row ids are random UUIDs, unique across tables: a key on id alone is smaller and faster
      -- to fill than one on (table_id, id). seq keeps the order rows were added in.
      CREATE TABLE data_table_rows (
        id TEXT PRIMARY KEY,
        table_id TEXT NOT NULL REFERENCES data_tables (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        "values" TEXT NOT NULL
      );
      CREATE INDEX data_table_rows_by_seq ON data_table_rows (table_id, seq);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);
  },
};
