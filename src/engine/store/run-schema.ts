import type { Migration } from './migration.js';

/**
 * Run state and history (version 2).
 * - runs: one row per run, with a snapshot of the flows it uses so a resumed run follows the
 *   definition it started with.
 * - run_frames: the checkpoint of each unfinished frame (top flow '' or a helper call / loop item).
 * - run_item_batches: finished for-each items, so a resumed loop skips them.
 * - run_step_batches: history, written together with the checkpoint that makes those steps final.
 * - timers: wake-up times of waiting cards, for listing and resuming.
 */
export const runSchemaMigrations: readonly Migration[] = [
  {
    version: 2,
    name: 'runs, steps, frames, loop items and timers',
    up(db) {
      db.exec(`
        CREATE TABLE runs (
          id TEXT PRIMARY KEY,
          flow_id TEXT NOT NULL,
          flow_name TEXT NOT NULL,
          flow_version INTEGER NOT NULL,
          flows TEXT NOT NULL,
          status TEXT NOT NULL,
          trigger_kind TEXT NOT NULL,
          parent_run_id TEXT,
          history_level TEXT NOT NULL,
          input TEXT NOT NULL,
          output TEXT,
          error TEXT,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          duration_ms REAL
        );
        CREATE INDEX runs_by_flow ON runs (flow_id, started_at DESC);
        CREATE INDEX runs_by_status ON runs (status, started_at DESC);
        CREATE INDEX runs_by_start ON runs (started_at DESC);

        -- History is written in batches: one row holds the steps of one flush, in seq order,
        -- as a JSON array of [seq, scope, node, cardType, status, attempt, startedAt, ms, inputs, outputs, error].
        CREATE TABLE run_step_batches (
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          first_seq INTEGER NOT NULL,
          last_seq INTEGER NOT NULL,
          count INTEGER NOT NULL,
          steps TEXT NOT NULL,
          PRIMARY KEY (run_id, first_seq)
        ) WITHOUT ROWID;

        CREATE TABLE run_frames (
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          scope TEXT NOT NULL,
          state TEXT NOT NULL,
          PRIMARY KEY (run_id, scope)
        ) WITHOUT ROWID;

        -- Finished loop items, batched per flush: a JSON array of [index, ok, result].
        CREATE TABLE run_item_batches (
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          scope TEXT NOT NULL,
          batch INTEGER NOT NULL,
          items TEXT NOT NULL,
          PRIMARY KEY (run_id, scope, batch)
        ) WITHOUT ROWID;

        CREATE TABLE timers (
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          scope TEXT NOT NULL,
          node_id TEXT NOT NULL,
          wake_at TEXT NOT NULL,
          PRIMARY KEY (run_id, scope, node_id)
        ) WITHOUT ROWID;
        CREATE INDEX timers_by_wake ON timers (wake_at);
      `);
    },
  },
];

/**
 * Run notes (version 4): values a card notes for the rest of its run, batched per flush as a JSON
 * array, e.g. the addresses a unique-email card handed out in a bulk run without a claim table, so
 * a resumed run never hands one out again. Removed when the run ends.
 */
export const runNotesMigration: Migration = {
  version: 4,
  name: 'run notes',
  up(db) {
    db.exec(`
      CREATE TABLE run_note_batches (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        batch INTEGER NOT NULL,
        notes TEXT NOT NULL,
        PRIMARY KEY (run_id, kind, batch)
      ) WITHOUT ROWID;
    `);
  },
};
