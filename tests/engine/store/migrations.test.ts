import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Migration } from '../../../src/engine/store/migration.js';
import { migrate } from '../../../src/engine/store/migrations.js';
import { useTempDatabases } from './temp-database.js';

const temp = useTempDatabases();

function rawDatabase(): Database.Database {
  return temp.track(new Database(path.join(temp.dir(), 'plain.db')));
}

function step(version: number, sql: string, calls?: number[]): Migration {
  return {
    version,
    name: `step ${version}`,
    up(db) {
      calls?.push(version);
      db.exec(sql);
    },
  };
}

describe('migrate', () => {
  it('runs only the steps a database has not had yet', () => {
    const db = rawDatabase();
    const calls: number[] = [];
    const steps = [step(1, 'CREATE TABLE a (x)', calls), step(2, 'CREATE TABLE b (x)', calls)];
    expect(migrate(db, steps.slice(0, 1))).toBe(1);
    expect(migrate(db, steps)).toBe(2);
    expect(migrate(db, steps)).toBe(2);
    expect(calls).toEqual([1, 2]);
  });

  it('leaves a database at the last good version when a step fails, with nothing of the failed step applied', () => {
    const db = rawDatabase();
    const steps = [step(1, 'CREATE TABLE a (x)'), step(2, 'CREATE TABLE b (x); CREATE TABLE a (y)')];
    expect(() => migrate(db, steps)).toThrow(/already exists/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get()).toBe(0);
  });

  it('rejects a list of steps whose versions skip a number', () => {
    const db = rawDatabase();
    expect(() => migrate(db, [step(1, 'SELECT 1'), step(3, 'SELECT 1')])).toThrow(
      expect.objectContaining({ code: 'DB_MIGRATIONS_INVALID' }),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(0);
  });

  it('refuses a database newer than the newest step before changing anything', () => {
    const db = rawDatabase();
    db.pragma('user_version = 7');
    expect(() => migrate(db, [step(1, 'CREATE TABLE a (x)')])).toThrow(expect.objectContaining({ code: 'DB_TOO_NEW' }));
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'a'").pluck().get()).toBe(0);
  });
});
