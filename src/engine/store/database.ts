import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FlowsteadError } from '../../shared/errors.js';
import type { Migration } from './migration.js';
import { MIGRATIONS, assertNotTooNew, migrate, readSchemaVersion } from './migrations.js';

const IN_MEMORY = ':memory:';

/**
 * Opens (or creates) the Flowstead database and brings its schema up to date.
 * An existing file is first inspected read-only, so a file we cannot use — not SQLite, or
 * written by a newer Flowstead — is refused without a single byte written to it.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Database.Database {
  if (file !== IN_MEMORY) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    if (hasContent(file)) inspectExisting(file, migrations);
  }
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('wal_autocheckpoint = 10000');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function hasContent(file: string): boolean {
  try {
    return fs.statSync(file).size > 0;
  } catch {
    return false;
  }
}

function inspectExisting(file: string, migrations: readonly Migration[]): void {
  let probe: Database.Database | undefined;
  let version: number;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
    version = readSchemaVersion(probe);
  } catch (error) {
    if (isNotADatabase(error)) {
      throw new FlowsteadError(
        'DB_NOT_SQLITE',
        `The file ${file} is not a Flowstead database (it is not an SQLite file). It was left unchanged. ` +
          `Check the path given with --db or FLOWSTEAD_DB, or choose a new file name to start a fresh database.`,
        { file },
      );
    }
    throw error;
  } finally {
    probe?.close();
  }
  assertNotTooNew(file, version, migrations);
}

function isNotADatabase(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}
