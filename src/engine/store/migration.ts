import type Database from 'better-sqlite3';

/** One schema step. Versions are consecutive integers stored in `PRAGMA user_version`. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
