import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { RunStore } from '../../../src/engine/executor/run-store.js';
import { tempDir } from '../../support/test-engine.js';

const fixture = path.resolve(__dirname, '../../fixtures/durable-run.ts');
const children: ChildProcess[] = [];
afterEach(() => children.forEach((c) => c.kill('SIGKILL')));

function launch(args: string[]): { child: ChildProcess; output: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const output = new Promise<string>((resolve, reject) =>
    child.on('exit', (code, signal) =>
      code === 0 || signal ? resolve(out) : reject(new Error(`child failed (${code}): ${err}`)),
    ),
  );
  return { child, output };
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function reader(dbPath: string) {
  return new Database(dbPath, { readonly: true, fileMustExist: true });
}

/** Rows the run's table cards created so far (0 before the database exists). */
function createdRows(dbPath: string): number {
  try {
    const db = reader(dbPath);
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM data_table_rows').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Every card of the run appears once in history, and the table holds each item's row exactly once. */
function expectExactlyOnce(dbPath: string, items: number): void {
  const db = reader(dbPath);
  try {
    const rows = db.prepare(`SELECT json_extract("values", '$.n') AS n FROM data_table_rows`).all() as { n: number }[];
    expect(rows.map((r) => r.n).sort((a, b) => a - b)).toEqual([-1, ...Array.from({ length: items }, (_, i) => i)]);
    const runId = (db.prepare('SELECT id FROM runs').get() as { id: string }).id;
    const counts = new Map<string, number>();
    for (const step of new RunStore(db).listSteps(runId, 0, 100_000)) {
      const key = `${step.scope}/${step.nodeId}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // items x 4 cards, plus loop, pause, last, done.
    expect(counts.size).toBe(items * 4 + 4);
    expect((db.prepare('SELECT status FROM runs').get() as { status: string }).status).toBe('succeeded');
  } finally {
    db.close();
  }
}

describe('a run survives SIGKILL', () => {
  it('a kill just before a group commit loses the rows and their checkpoints together: none is created twice', async () => {
    const dbPath = path.join(tempDir(), 'durable-crash-at-commit.db');
    const first = launch(['start', dbPath, '200', '25', '4']);
    await first.output;
    expect(first.child.signalCode).toBe('SIGKILL');
    const beforeKill = createdRows(dbPath);
    expect(beforeKill).toBeGreaterThan(0);
    expect(beforeKill).toBeLessThan(200);

    const second = launch(['resume', dbPath]);
    const outcomes = JSON.parse(await second.output) as { status: string; output: { count: number } }[];
    expect(outcomes).toEqual([expect.objectContaining({ status: 'succeeded', output: { count: 200 } })]);
    expectExactlyOnce(dbPath, 200);
  }, 60_000);

  it('items running side by side share commits: after a kill every item row exists exactly once', async () => {
    const dbPath = path.join(tempDir(), 'durable-concurrent.db');
    const first = launch(['start', dbPath, '300', '25']);
    await until(() => createdRows(dbPath) >= 60, 20_000);
    first.child.kill('SIGKILL');
    await first.output;
    const beforeKill = createdRows(dbPath);
    expect(beforeKill).toBeLessThan(300);

    const second = launch(['resume', dbPath]);
    const outcomes = JSON.parse(await second.output) as { status: string; output: { count: number } }[];
    expect(outcomes).toEqual([expect.objectContaining({ status: 'succeeded', output: { count: 300 } })]);
    expectExactlyOnce(dbPath, 300);
  }, 60_000);

  it('continues after a kill mid-loop and mid-wait: no item lost, no completed side effect repeated', async () => {
    const dbPath = path.join(tempDir(), 'durable.db');
    const first = launch(['start', dbPath, '60']);
    const rowCount = () => createdRows(dbPath);
    await until(() => rowCount() >= 20, 20_000);
    first.child.kill('SIGKILL');
    await first.output;
    const createdBeforeKill = rowCount();
    expect(createdBeforeKill).toBeGreaterThanOrEqual(20);
    expect(createdBeforeKill).toBeLessThan(60);

    // Second life: resume; kill it again while it waits, after the loop finished.
    const second = launch(['resume', dbPath]);
    const timerSet = () => {
      const db = reader(dbPath);
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM timers').get() as { n: number }).n > 0;
      } finally {
        db.close();
      }
    };
    await until(timerSet, 20_000);
    const wakeAt = (() => {
      const db = reader(dbPath);
      try {
        return (db.prepare('SELECT wake_at FROM timers').get() as { wake_at: string }).wake_at;
      } finally {
        db.close();
      }
    })();
    second.child.kill('SIGKILL');
    await second.output;

    const third = launch(['resume', dbPath]);
    const outcomes = JSON.parse(await third.output) as { status: string; output: { count: number } }[];
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 'succeeded', output: { count: 60 } });
    // The wait kept its first wake-up time across the restart.
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(wakeAt));

    expectExactlyOnce(dbPath, 60);
  }, 60_000);
});
