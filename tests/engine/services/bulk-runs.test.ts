import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine } from '../../../src/engine/app.js';
import { dispatchApiCall } from '../../../src/shared/api/dispatch.js';
import { unwrapResult } from '../../../src/shared/api/client.js';
import type { ApiInput, ApiMethod, ApiOutput } from '../../../src/shared/api/contract.js';
import type { FlowDocument } from '../../../src/shared/flow/schema.js';
import { openTestApp } from '../../support/engine-app.js';
import { card, flow, lit, ref, tpl } from '../../support/test-engine.js';

let app: Awaited<ReturnType<typeof openTestApp>>;

/** Calls through the contract (validation and defaults), as the designer and the runner do. */
async function call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  return unwrapResult(await dispatchApiCall(app.handlers, method, input)) as ApiOutput<M>;
}

async function settle(runId: string) {
  for (let i = 0; i < 2000; i++) {
    const run = await call('runs.get', { runId });
    if (run.status !== 'running' && run.status !== 'waiting') return run;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('bulk run did not finish');
}

/** A manual trigger asking for a first and a last name, as the joiner flows here do. */
const nameTrigger = {
  kind: 'manual' as const,
  inputs: [
    { name: 'first', type: 'text' as const, required: true },
    { name: 'last', type: 'text' as const, required: true },
  ],
};

/**
 * A bulk run of the greet flow (nothing to wait for: rows run back to back), stopped with `method`
 * as its first row is reported. The listener runs inside the loop, so the stop lands mid-way on any machine.
 */
async function stopAtFirstRow(method: 'bulk.cancel' | 'runs.cancel') {
  const rows = Array.from({ length: 5_000 }, (_, n) => ({ first: `Ana${n}`, last: 'Novak' }));
  let stopped: Promise<{ cancelled: boolean }> | undefined;
  const unsubscribe = app.engine.onProgress((event) => {
    if (event.kind === 'items.progress' && event.done > 0 && stopped === undefined)
      stopped = Promise.resolve(app.handlers[method]({ runId: event.runId }));
  });
  const { runId } = await call('bulk.start', { flowId: 'greet', rows });
  const run = await settle(runId);
  unsubscribe();
  expect(await stopped).toEqual({ cancelled: true });
  return { runId, rows, run };
}

/** The inputs earlier versions gave their row cards (`bulk.rows`, `bulk.row`) besides the rows. */
const earlierRowCardInputs = {
  flow: lit('greet'),
  name: lit('Greet joiner'),
  fields: lit(nameTrigger.inputs),
  columns: lit({}),
};

/** The Return of the bulk flows earlier versions generated: it listed every row's result. */
function returnListingResults() {
  return card('done', 'control.return', {
    results: { kind: 'ref', node: 'rows', path: ['results'] },
    errors: { kind: 'ref', node: 'rows', path: ['errors'] },
  });
}

/**
 * Runs a bulk flow as an earlier version generated and stored it with its run, over two rows (the
 * second without a last name), and reads the rows back as the designer does: status and output or error.
 */
async function rowsOfEarlierBulkRun(bulkFlow: FlowDocument, helpers: Record<string, FlowDocument> = {}) {
  const greet = app.engine.services.flows.get({ id: 'greet' }).flow;
  const { runId, done } = app.engine.services.executor.start({
    flow: bulkFlow,
    flowVersion: 1,
    helpers: { greet, ...helpers },
    input: { rows: [{ first: 'Ana', last: 'Novak' }, { first: 'Bo' }] },
    historyLevel: 'metadata',
  });
  await done;
  return (await call('bulk.results', { runId })).rows.map((r) => [r.status, r.output?.['display'] ?? r.error]);
}

beforeEach(async () => {
  app = await openTestApp();
  await call('flows.save', {
    flow: flow({
      id: 'greet',
      name: 'Greet joiner',
      trigger: nameTrigger,
      nodes: [
        card('name', 'text.compose', { text: tpl('{{trigger.first}} {{trigger.last}}') }),
        card('done', 'control.return', { display: { kind: 'ref', node: 'name', path: ['text'] } }),
      ],
    }),
  });
});
afterEach(async () => {
  await app.close();
});

describe('bulk runs', () => {
  it('lets timers and requests through every few milliseconds while 50 rows at a time run back to back', async () => {
    const rows = Array.from({ length: 60_000 }, (_, n) => ({ first: `Ana${n}`, last: 'Novak' }));
    // The longest the event loop went without a turn while rows ran (from the first row reported
    // to the last; starting and finishing the run are one step each).
    let longest = 0;
    let loopStart = 0;
    let loopEnd = 0;
    let last = 0;
    const unsubscribe = app.engine.onProgress((event) => {
      if (event.kind !== 'items.progress') return;
      if (loopStart === 0 && event.done > 0) loopStart = last = performance.now();
      if (event.done === event.total) {
        loopEnd = performance.now();
        longest = Math.max(longest, loopEnd - last);
      }
    });
    const ticker = setInterval(() => {
      const now = performance.now();
      if (loopStart === 0 || loopEnd !== 0) return;
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    try {
      const { runId } = await call('bulk.start', { flowId: 'greet', rows, concurrency: 50 });
      expect((await settle(runId)).status).toBe('succeeded');
      // Each of the 50 rows in flight taking a turn of its own would hold the loop for 50 × 15 ms.
      expect(loopEnd - loopStart).toBeGreaterThan(300);
      expect(longest).toBeLessThan(150);
    } finally {
      clearInterval(ticker);
      unsubscribe();
    }
  });

  it('runs the flow once per row and reports every row, bad ones with their error', async () => {
    const rows = [
      { given: 'Ana', last: 'Novak' },
      { given: '', last: 'Empty' },
      { given: 'José', last: 'Müller' },
      { given: 'No', surname: 'Column' },
    ];
    const { runId, total } = await call('bulk.start', { flowId: 'greet', rows, columns: { first: 'given' } });
    expect(total).toBe(4);
    await settle(runId);
    const results = await call('bulk.results', { runId });
    expect(results).toMatchObject({ status: 'succeeded', total: 4, ok: 2, failed: 2 });
    expect(results.rows.map((r) => [r.row, r.status, r.output?.['display'] ?? r.error?.split(':')[0]])).toEqual([
      [1, 'ok', 'Ana Novak'],
      [2, 'error', 'RUN_INPUT'],
      [3, 'ok', 'José Müller'],
      [4, 'error', 'ROW_COLUMN_MISSING'],
    ]);
    expect(results.rows[3]?.error).toBe(
      'ROW_COLUMN_MISSING: The row has no column `last` (for input last). Map a column to it.',
    );
    expect(results.rows[1]?.error).toContain('`first` is required');
    // The run's output counts the rows; the rows' results stay as the bulk card's loop items
    // (written once, as each row finished), not a second time as the output.
    expect((await call('runs.get', { runId })).output).toEqual({ rows: 4, ok: 2, failed: 2 });
    const kept = app.engine.services.store.db
      .prepare('SELECT DISTINCT scope FROM run_item_batches WHERE run_id = ?')
      .pluck()
      .all(runId);
    expect(kept).toEqual(['rows']);
  });

  it('reads the results of a bulk run the last version ran, whose output listed them', async () => {
    // The generated flow as the last version stored it with the run: its Return listed the results.
    const rows = await rowsOfEarlierBulkRun(
      flow({
        id: 'bulk:greet',
        name: 'Bulk: Greet joiner',
        trigger: { kind: 'bulkRows', inputs: [] },
        nodes: [
          card('rows', 'bulk.rows', { ...earlierRowCardInputs, rows: ref('trigger', 'rows'), concurrency: lit(4) }),
          returnListingResults(),
        ],
      }),
    );
    expect(rows).toEqual([
      ['ok', 'Ana Novak'],
      ['error', 'ROW_COLUMN_MISSING: The row has no column `last` (for input last). Map a column to it.'],
    ]);
  });

  it('reads the rows of a table', async () => {
    const table = await call('tables.create', {
      name: 'New hires',
      columns: [
        { name: 'first', type: 'text' },
        { name: 'last', type: 'text' },
      ],
    });
    await call('tables.insertRows', { tableId: table.id, rows: [{ first: 'Zoë', last: 'Ørsted' }] });
    const { runId } = await call('bulk.start', { flowId: 'greet', tableId: table.id });
    await settle(runId);
    expect((await call('bulk.results', { runId })).rows[0]?.output).toEqual({ display: 'Zoë Ørsted' });
  });

  it('cancels mid-way and resumes without redoing finished rows', async () => {
    // A slow flow, so the cancel lands mid-way.
    await call('flows.save', {
      flow: flow({
        id: 'slow',
        name: 'Slow',
        trigger: { kind: 'manual', inputs: [{ name: 'n', type: 'number', required: true }] },
        nodes: [
          card('wait', 'control.waitFor', {
            amount: { kind: 'literal', value: 0.02 },
            unit: { kind: 'literal', value: 'seconds' },
          }),
          card('done', 'control.return', { n: { kind: 'ref', node: 'trigger', path: ['n'] } }),
        ],
      }),
    });
    const rows = Array.from({ length: 60 }, (_, n) => ({ n }));
    const { runId } = await call('bulk.start', { flowId: 'slow', rows, concurrency: 2 });
    await new Promise((r) => setTimeout(r, 250));
    expect((await call('bulk.cancel', { runId })).cancelled).toBe(true);
    const cancelled = await settle(runId);
    expect(cancelled.status).toBe('cancelled');

    const before = await call('runs.steps', { runId, limit: 5000 });
    const finishedBefore = new Set(
      before.filter((s) => s.nodeId === 'done' && s.status === 'succeeded').map((s) => s.scope),
    );
    expect(finishedBefore.size).toBeGreaterThan(0);
    expect(finishedBefore.size).toBeLessThan(60);

    await call('bulk.resume', { runId });
    const resumed = await settle(runId);
    expect(resumed.status).toBe('succeeded');
    const results = await call('bulk.results', { runId });
    expect(results.ok).toBe(60);
    expect(results.rows.map((r) => r.output?.['n'])).toEqual(rows.map((r) => r.n));
    // Every row's flow finished exactly once over both parts of the run.
    const after = await call('runs.steps', { runId, limit: 5000 });
    const doneScopes = after.filter((s) => s.nodeId === 'done' && s.status === 'succeeded').map((s) => s.scope);
    expect(new Set(doneScopes).size).toBe(doneScopes.length);
  });

  it('cancels mid-way a bulk run whose cards do not wait, and resumes it', async () => {
    const { runId, rows, run } = await stopAtFirstRow('bulk.cancel');
    expect(run.status).toBe('cancelled');
    expect((await call('bulk.results', { runId })).ok).toBeLessThan(rows.length);

    await call('bulk.resume', { runId });
    expect((await settle(runId)).status).toBe('succeeded');
    const results = await call('bulk.results', { runId });
    expect(results).toMatchObject({ total: rows.length, ok: rows.length, failed: 0 });
    expect(results.rows.map((r) => r.output?.['display'])).toEqual(rows.map((r) => `${r.first} ${r.last}`));
    // Finished now: there is nothing left to continue.
    await expect(call('bulk.resume', { runId })).rejects.toMatchObject({ code: 'BULK_NOT_RESUMABLE' });
  });

  it('does not resume a run cancelled for good (not paused)', async () => {
    const { runId, run } = await stopAtFirstRow('runs.cancel');
    expect(run.status).toBe('cancelled');
    await expect(call('bulk.resume', { runId })).rejects.toMatchObject({ code: 'BULK_NOT_RESUMABLE' });
  });

  it('gives no address twice when a bulk run without a claim table is stopped and resumed by a new process', async () => {
    await call('flows.save', {
      flow: flow({
        id: 'mail',
        name: 'Mailbox',
        trigger: nameTrigger,
        nodes: [
          card('email', 'identity.uniqueEmail', {
            first: { kind: 'ref', node: 'trigger', path: ['first'] },
            last: { kind: 'ref', node: 'trigger', path: ['last'] },
            domain: { kind: 'literal', value: 'example.com' },
          }),
          // Slow, so the cancel lands mid-way.
          card('wait', 'control.waitFor', {
            amount: { kind: 'literal', value: 0.02 },
            unit: { kind: 'literal', value: 'seconds' },
          }),
          card('done', 'control.return', { email: { kind: 'ref', node: 'email', path: ['email'] } }),
        ],
      }),
    });
    // Everyone has the same name: each row must get its own number.
    const rows = Array.from({ length: 40 }, () => ({ first: 'Ana', last: 'Novák' }));
    const { runId } = await call('bulk.start', { flowId: 'mail', rows, concurrency: 2 });
    await new Promise((r) => setTimeout(r, 200));
    await call('bulk.cancel', { runId });
    expect((await settle(runId)).status).toBe('cancelled');

    // A new process knows only the database: what the first part gave out comes from the run's notes.
    await app.engine.close();
    const reopened = await openEngine({ dbPath: app.dbPath, secrets: app.secrets });
    const dir = app.dir;
    app = {
      ...app,
      engine: reopened,
      handlers: reopened.handlers,
      close: async () => {
        await reopened.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
    await call('bulk.resume', { runId });
    expect((await settle(runId)).status).toBe('succeeded');
    const emails = (await call('bulk.results', { runId })).rows.map((r) => r.output?.['email']);
    expect(emails).toHaveLength(40);
    expect(new Set(emails)).toEqual(
      new Set(Array.from({ length: 40 }, (_, i) => `ana.novak${i === 0 ? '' : i + 1}@example.com`)),
    );
  });

  it('resumes a bulk run begun by an earlier version, which ran each row through a row card', async () => {
    // The generated flows as earlier versions stored them with the run.
    const rowFlow = flow({
      id: 'bulk-row:greet',
      name: 'Greet joiner (one row)',
      trigger: { kind: 'helper', inputs: [], outputs: [] },
      nodes: [card('row', 'bulk.row', { ...earlierRowCardInputs, row: ref('trigger', 'item') })],
    });
    const bulkFlow = flow({
      id: 'bulk:greet',
      name: 'Bulk: Greet joiner',
      trigger: { kind: 'bulkRows', inputs: [] },
      nodes: [
        card('rows', 'list.forEach', {
          flow: { kind: 'literal', value: 'bulk-row:greet' },
          list: { kind: 'ref', node: 'trigger', path: ['rows'] },
          concurrency: { kind: 'literal', value: 2 },
          continueOnError: { kind: 'literal', value: true },
        }),
        returnListingResults(),
      ],
    });
    expect(await rowsOfEarlierBulkRun(bulkFlow, { [rowFlow.id]: rowFlow })).toEqual([
      ['ok', 'Ana Novak'],
      ['error', 'ROW_COLUMN_MISSING: The row has no column `last` (for input last). Map a column to it.'],
    ]);
  });

  it('passes the whole list to one run when asked', async () => {
    await call('flows.save', {
      flow: flow({
        id: 'count',
        name: 'Count',
        trigger: { kind: 'manual', inputs: [{ name: 'people', type: 'list', required: true }] },
        nodes: [
          card('n', 'list.length', { list: { kind: 'ref', node: 'trigger', path: ['people'] } }),
          card('done', 'control.return', { n: { kind: 'ref', node: 'n', path: ['length'] } }),
        ],
      }),
    });
    const { runId } = await call('bulk.start', { flowId: 'count', rows: [{ a: 1 }, { a: 2 }], mode: 'wholeList' });
    expect((await settle(runId)).output).toEqual({ n: 2 });
  });
});
