import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { closeRangeReaders } from '../../../src/engine/services/range-reader.js';
import { openDatabase } from '../../../src/engine/store/database.js';

/**
 * Real SQLite files in temporary folders, closed and removed after each test.
 * Call once at the top of a test file; `open()` gives a migrated database.
 */
export function useTempDatabases() {
  const dirs: string[] = [];
  const dbs: Database.Database[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) {
      // Workers reading the file ahead hold it open too.
      await closeRangeReaders(db.name);
      if (db.open) db.close();
    }
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir(): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstead-store-'));
      dirs.push(dir);
      return dir;
    },
    track(db: Database.Database): Database.Database {
      dbs.push(db);
      return db;
    },
    open(file?: string): Database.Database {
      return this.track(openDatabase(file ?? path.join(this.dir(), 'flowstead.db')));
    },
  };
}
