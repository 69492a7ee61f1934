import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/engine/store/database.js';
import { MIGRATIONS, latestVersion } from '../../../src/engine/store/migrations.js';
import { FlowsteadError } from '../../../src/shared/errors.js';
import { useTempDatabases } from './temp-database.js';

const temp = useTempDatabases();

function errorOf(work: () => unknown): FlowsteadError {
  try {
    work();
  } catch (error) {
    if (error instanceof FlowsteadError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

function tableNames(db: Database.Database): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
}

describe('openDatabase', () => {
  it('creates the folder and a fully migrated database on first start', () => {
    const file = path.join(temp.dir(), 'nested', 'deeper', 'flowstead.db');
    const db = temp.open(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
    expect(tableNames(db)).toEqual(
      expect.arrayContaining(['flows', 'flow_versions', 'data_tables', 'data_table_rows', 'settings']),
    );
  });

  it('sets the journal, durability, foreign key and lock-wait options', () => {
    const db = temp.open();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('reopens an up-to-date database without changing its schema or data', () => {
    const file = path.join(temp.dir(), 'flowstead.db');
    const first = temp.open(file);
    first.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    const schema = first.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all();
    first.close();

    const again = temp.open(file);
    expect(again.pragma('user_version', { simple: true })).toBe(latestVersion());
    expect(again.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all()).toEqual(schema);
    expect(again.prepare("SELECT value FROM settings WHERE key = 'theme'").pluck().get()).toBe('"dark"');
  });

  it('treats an empty file as a new database', () => {
    const file = path.join(temp.dir(), 'empty.db');
    fs.writeFileSync(file, '');
    const db = temp.open(file);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
  });

  it('refuses a database from a newer Flowstead and leaves the file byte for byte as it was', () => {
    const file = path.join(temp.dir(), 'future.db');
    const future = new Database(file);
    future.exec('CREATE TABLE from_the_future (x TEXT); INSERT INTO from_the_future VALUES (1)');
    future.pragma(`user_version = ${latestVersion() + 5}`);
    future.close();
    const before = fs.readFileSync(file);
    const filesBefore = fs.readdirSync(path.dirname(file));

    const error = errorOf(() => openDatabase(file));
    expect(error.code).toBe('DB_TOO_NEW');
    expect(error.message).toContain(file);
    expect(error.message).toContain(String(latestVersion() + 5));
    expect(error.message).toContain(`up to schema version ${latestVersion()}`);
    expect(error.message).toMatch(/Update Flowstead/);
    expect(error.message).toContain('--db');
    expect(error.message).toContain('FLOWSTEAD_DB');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(path.dirname(file))).toEqual(filesBefore);
  });

  it('leaves a newer database in WAL mode unchanged too', () => {
    const file = path.join(temp.dir(), 'future-wal.db');
    const future = new Database(file);
    future.pragma('journal_mode = WAL');
    future.exec('CREATE TABLE t (x TEXT)');
    future.pragma(`user_version = ${latestVersion() + 1}`);
    future.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'DB_TOO_NEW' }));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not an SQLite database and leaves it untouched', () => {
    const file = path.join(temp.dir(), 'users.csv');
    fs.writeFileSync(file, 'email,department\nana@example.com,HR\n'.repeat(200));
    const before = fs.readFileSync(file);

    const error = errorOf(() => openDatabase(file));
    expect(error.code).toBe('DB_NOT_SQLITE');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not an SQLite file/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('keeps data written through foreign keys consistent: deleting a flow removes its versions', () => {
    const db = temp.open();
    db.prepare(
      "INSERT INTO flows (id, name, trigger_kind, document, version, created_at, updated_at) VALUES ('f', 'F', 'manual', '{}', 1, 'now', 'now')",
    ).run();
    db.prepare("INSERT INTO flow_versions (flow_id, version, document, saved_at) VALUES ('f', 1, '{}', 'now')").run();
    db.prepare("DELETE FROM flows WHERE id = 'f'").run();
    expect(db.prepare('SELECT count(*) FROM flow_versions').pluck().get()).toBe(0);
  });

  it('knows consecutive migrations starting at the core schema', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(MIGRATIONS[0]?.name).toMatch(/flows/);
  });
});
