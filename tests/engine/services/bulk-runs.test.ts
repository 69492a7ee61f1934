import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchApiCall } from '../../../src/shared/api/dispatch.js';
import { unwrapResult } from '../../../src/shared/api/client.js';
import type { ApiInput, ApiMethod, ApiOutput } from '../../../src/shared/api/contract.js';
import { openTestApp } from '../../support/engine-app.js';
import { card, flow, tpl } from '../../support/test-engine.js';

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

beforeEach(async () => {
  app = await openTestApp();
  await call('flows.save', {
    flow: flow({
      id: 'greet',
      name: 'Greet joiner',
      trigger: {
        kind: 'manual',
        inputs: [
          { name: 'first', type: 'text', required: true },
          { name: 'last', type: 'text', required: true },
        ],
      },
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
