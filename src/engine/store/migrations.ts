import type Database from 'better-sqlite3';
import { FlowsteadError } from '../../shared/errors.js';
import { coreSchema } from './core-schema.js';
import type { Migration } from './migration.js';
import { connectorSchemaMigrations } from './connector-schema.js';
import { runNotesMigration, runSchemaMigrations } from './run-schema.js';

/** Every schema step this build knows, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  coreSchema,
  ...runSchemaMigrations,
  ...connectorSchemaMigrations,
  runNotesMigration,
];

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

export function readSchemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a database written by a newer Flowstead: migrating it down or guessing would lose data. */
export function assertNotTooNew(file: string, found: number, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = latestVersion(migrations);
  if (found <= latest) return;
  throw new FlowsteadError(
    'DB_TOO_NEW',
    `The database ${file} was written by a newer Flowstead (schema version ${found}); this version understands up to schema version ${latest}. ` +
      `Update Flowstead, or open another database with --db PATH or the FLOWSTEAD_DB environment variable. The file was not changed.`,
    { file, found, latest },
  );
}

function assertConsecutive(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new FlowsteadError(
        'DB_MIGRATIONS_INVALID',
        `Schema migration "${migration.name}" has version ${migration.version}, expected ${index + 1}: versions must be consecutive from 1.`,
        { name: migration.name, version: migration.version, expected: index + 1 },
      );
    }
  });
}

/**
 * Brings the schema up to date. Each step commits together with its `user_version` bump, so a
 * failed step leaves the database at the previous version rather than half migrated.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  assertConsecutive(migrations);
  const current = readSchemaVersion(db);
  assertNotTooNew(db.name, current, migrations);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      // Pragma arguments cannot be bound; the version is an integer we checked above.
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return readSchemaVersion(db);
}
