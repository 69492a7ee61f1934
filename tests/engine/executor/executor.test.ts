import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CARD_IMPLEMENTATIONS } from '../../../src/engine/cards/registry.js';
import type { CardImplementation } from '../../../src/engine/cards/types.js';
import { planFlow } from '../../../src/engine/executor/plan.js';
import type { ProgressEvent } from '../../../src/shared/api/contract.js';
import { card, createTestEngine, expr, flow, lit, ref, tpl } from '../../support/test-engine.js';
import { testCards } from '../../support/test-cards.js';

let engine: ReturnType<typeof createTestEngine>;
afterEach(() => engine?.close());

function setup() {
  const test = testCards();
  engine = createTestEngine({ extraCards: test.cards });
  return test;
}

function start(
  doc: ReturnType<typeof flow>,
  input: Record<string, unknown> = {},
  helpers: ReturnType<typeof flow>[] = [],
  historyLevel?: 'full' | 'metadata' | 'none',
) {
  return engine.executor.start({
    flow: doc,
    flowVersion: 1,
    helpers: Object.fromEntries(helpers.map((h) => [h.id, h])),
    input,
    ...(historyLevel ? { historyLevel } : {}),
  });
}

describe('executor', () => {
  it('runs cards in order, resolving literals, references, templates and expressions', async () => {
    setup();
    const doc = flow({
      trigger: {
        kind: 'manual',
        inputs: [
          { name: 'first', type: 'text' },
          { name: 'n', type: 'number' },
        ],
      },
      nodes: [
        card('add1', 'test.add', { a: ref('trigger', 'n'), b: lit(2) }),
        card('add2', 'test.add', { a: ref('add1', 'sum'), b: expr('add1.sum * 10') }),
        card('done', 'control.return', {
          greeting: tpl('Hi {{trigger.first}}, total {{add2.sum}}'),
          total: ref('add2', 'sum'),
        }),
      ],
    });
    const { done } = start(doc, { first: 'Ana', n: 1 });
    const outcome = await done;
    expect(outcome.status).toBe('succeeded');
    expect(outcome.output).toEqual({ greeting: 'Hi Ana, total 33', total: 33 });
  });

  it('names the card, input, expected and actual type when a value cannot be converted', async () => {
    setup();
    const doc = flow({ nodes: [card('add1', 'test.add', { a: lit('not a number'), b: lit(1) })] });
    const outcome = await start(doc).done;
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.code).toBe('INPUT_TYPE');
    expect(outcome.error?.message).toContain('`a`');
    expect(outcome.error?.message).toContain('add1');
    expect(outcome.error?.message).toContain('expected a number, got text');
  });

  it('follows the handle a branching card chooses and skips the other branch', async () => {
    setup();
    const doc = flow({
      nodes: [card('check', 'test.check', { ok: lit(false) }), card('yes', 'test.effect'), card('no', 'test.effect')],
      edges: [
        { id: 'e1', source: 'trigger', sourceHandle: 'next', target: 'check' },
        { id: 'e2', source: 'check', sourceHandle: 'yes', target: 'yes' },
        { id: 'e3', source: 'check', sourceHandle: 'no', target: 'no' },
      ],
    });
    const { runId, done } = start(doc);
    await done;
    const steps = engine.store.listSteps(runId, 0, 100);
    expect(steps.map((s) => s.nodeId)).toEqual(['check', 'no']);
  });

  it('takes the error branch with the error code and message when on-error is branch', async () => {
    setup();
    const doc = flow({
      nodes: [
        card('boom', 'test.fail', { code: lit('OKTA_DOWN') }, { onError: 'branch' }),
        card('handled', 'control.return', { why: ref('boom', 'error', 'code') }),
      ],
      edges: [
        { id: 'e1', source: 'trigger', sourceHandle: 'next', target: 'boom' },
        { id: 'e2', source: 'boom', sourceHandle: 'error', target: 'handled' },
      ],
    });
    const outcome = await start(doc).done;
    expect(outcome).toMatchObject({ status: 'succeeded', output: { why: 'OKTA_DOWN' } });
  });

  it('goes on after a failed card when on-error is continue, and fails the run with the card named otherwise', async () => {
    setup();
    const goesOn = flow({
      nodes: [card('boom', 'test.fail', {}, { onError: 'continue' }), card('after', 'test.effect')],
    });
    expect((await start(goesOn).done).status).toBe('succeeded');
    const stops = flow({ nodes: [card('boom', 'test.fail'), card('after', 'test.effect')] });
    const outcome = await start(stops).done;
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.code).toBe('BOOM');
    expect(outcome.error?.message).toContain('(boom)');
  });

  it('retries with backoff until the card succeeds, and records the attempt', async () => {
    const test = setup();
    const doc = flow({
      nodes: [
        card(
          'flaky',
          'test.flaky',
          { failTimes: lit(2) },
          {
            onError: 'fail',
            retry: { maxAttempts: 4, initialDelayMs: 5, maxDelayMs: 20, multiplier: 2, jitter: true },
          },
        ),
      ],
    });
    const { runId, done } = start(doc);
    expect((await done).status).toBe('succeeded');
    expect(test.calls.flaky).toBe(3);
    const [step] = engine.store.listSteps(runId, 0, 10);
    expect(step).toMatchObject({ nodeId: 'flaky', status: 'succeeded', attempt: 3, outputs: { attempts: 3 } });
  });

  it('gives up after the last attempt with the last error', async () => {
    const test = setup();
    const doc = flow({
      nodes: [
        card(
          'flaky',
          'test.flaky',
          { failTimes: lit(10) },
          {
            onError: 'fail',
            retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5, multiplier: 2, jitter: false },
          },
        ),
      ],
    });
    const outcome = await start(doc).done;
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toContain('Failure 3');
    expect(test.calls.flaky).toBe(3);
  });

  it('stops a card at its timeout with a clear error', async () => {
    setup();
    const doc = flow({ nodes: [card('slow', 'test.slow', { ms: lit(5000) }, { onError: 'fail', timeoutMs: 50 })] });
    const begin = Date.now();
    const outcome = await start(doc).done;
    expect(Date.now() - begin).toBeLessThan(2000);
    expect(outcome.error?.code).toBe('CARD_TIMEOUT');
    expect(outcome.error?.message).toContain('50 ms');
  });

  it('cancels a running run', async () => {
    setup();
    const doc = flow({ nodes: [card('slow', 'test.slow', { ms: lit(10_000) }), card('after', 'test.effect')] });
    const { runId, done } = start(doc);
    setTimeout(() => engine.executor.cancel(runId), 30);
    const outcome = await done;
    expect(outcome.status).toBe('cancelled');
    expect(engine.store.getRun(runId)?.status).toBe('cancelled');
  });

  it('runs a helper per item with bounded concurrency and keeps results in item order', async () => {
    const test = setup();
    const helper = flow({
      id: 'perItem',
      trigger: {
        kind: 'helper',
        inputs: [
          { name: 'item', type: 'number' },
          { name: 'index', type: 'number' },
        ],
        outputs: [],
      },
      nodes: [
        card('wait', 'test.slow', { ms: expr('(5 - trigger.item) * 3') }),
        card('ret', 'control.return', { double: expr('trigger.item * 2'), at: ref('trigger', 'index') }),
      ],
    });
    const doc = flow({
      nodes: [
        card('loop', 'list.forEach', { flow: lit('perItem'), list: lit([1, 2, 3, 4, 5]), concurrency: lit(2) }),
        card('done', 'control.return', { results: ref('loop', 'results') }),
      ],
    });
    const outcome = await start(doc, {}, [helper]).done;
    expect(outcome.status).toBe('succeeded');
    expect(outcome.output?.['results']).toEqual([1, 2, 3, 4, 5].map((n, i) => ({ double: n * 2, at: i })));
    expect(test.calls.maxInFlight).toBe(2);
  });

  it('tells a card with a lookahead about the rows to come, once each, in order, and runs them the same', async () => {
    const test = setup();
    const helper = flow({
      id: 'greet',
      trigger: { kind: 'helper', inputs: [{ name: 'item', type: 'any' }], outputs: [] },
      nodes: [
        card('hello', 'test.told', { name: ref('trigger', 'item'), greeting: lit('Hello') }),
        card('ret', 'control.return', { text: ref('hello', 'text') }),
      ],
    });
    const names = ['ann', 'bo', 'cy', 'throw', 'dee'];
    const doc = flow({
      nodes: [
        card('loop', 'list.forEach', { flow: lit('greet'), list: lit(names) }),
        card('done', 'control.return', { results: ref('loop', 'results') }),
      ],
    });
    const outcome = await start(doc, {}, [helper]).done;
    expect(outcome.status).toBe('succeeded');
    expect(outcome.output?.['results']).toEqual(names.map((name) => ({ text: `Hello ${name}` })));
    // The first row is starting when the loop tells; a lookahead that throws changes nothing.
    expect(test.calls.told).toEqual([names.slice(1).map((name) => [name, 'Hello'])]);
    // The greeting is a literal, the name comes from the row.
    expect(test.calls.toldFixed).toEqual(['greeting']);

    // Thousands of rows: told a few thousand ahead at a time, every row after the first once.
    test.calls.told.length = 0;
    const many = Array.from({ length: 5000 }, (_, i) => `p${i}`);
    const long = flow({ nodes: [card('loop', 'list.forEach', { flow: lit('greet'), list: lit(many) })] });
    expect((await start(long, {}, [helper]).done).status).toBe('succeeded');
    expect(test.calls.told.length).toBeGreaterThan(1);
    expect(test.calls.told.flat().map((row) => (row as unknown[])[0])).toEqual(many.slice(1));
  });

  it('does not tell a card whose inputs come from another card: they are not known before the row runs', async () => {
    const test = setup();
    const helper = flow({
      id: 'sum',
      trigger: { kind: 'helper', inputs: [{ name: 'item', type: 'number' }], outputs: [] },
      nodes: [
        card('add', 'test.add', { a: ref('trigger', 'item'), b: lit(1) }),
        card('hello', 'test.told', { name: ref('add', 'sum') }),
        card('ret', 'control.return', { text: ref('hello', 'text') }),
      ],
    });
    const doc = flow({ nodes: [card('loop', 'list.forEach', { flow: lit('sum'), list: lit([1, 2, 3]) })] });
    const outcome = await start(doc, {}, [helper]).done;
    expect(outcome.status).toBe('succeeded');
    expect(test.calls.told).toEqual([]);
  });

  it('collects item errors and goes on when the loop ignores errors', async () => {
    setup();
    const helper = flow({
      id: 'mayFail',
      trigger: { kind: 'helper', inputs: [{ name: 'item', type: 'number' }], outputs: [] },
      nodes: [
        card('check', 'test.check', { ok: expr('trigger.item != 2') }),
        card('boom', 'test.fail', { code: lit('BAD_ITEM') }),
        card('ok', 'control.return', { value: ref('trigger', 'item') }),
      ],
      edges: [
        { id: 'a', source: 'trigger', sourceHandle: 'next', target: 'check' },
        { id: 'b', source: 'check', sourceHandle: 'no', target: 'boom' },
        { id: 'c', source: 'check', sourceHandle: 'yes', target: 'ok' },
      ],
    });
    const doc = flow({
      nodes: [
        card('loop', 'list.forEach', { flow: lit('mayFail'), list: lit([1, 2, 3]), continueOnError: lit(true) }),
        card('done', 'control.return', { results: ref('loop', 'results'), errors: ref('loop', 'errors') }),
      ],
    });
    const outcome = await start(doc, {}, [helper]).done;
    expect(outcome.status).toBe('succeeded');
    expect(outcome.output?.['results']).toEqual([{ value: 1 }, null, { value: 3 }]);
    expect(outcome.output?.['errors']).toMatchObject([{ index: 1, error: { code: 'BAD_ITEM' } }]);
  });

  it('records inputs and outputs at full history, timing only at metadata, nothing at none', async () => {
    setup();
    const doc = flow({ nodes: [card('add1', 'test.add', { a: lit(1), b: lit(2) })] });
    const full = start(doc, {}, [], 'full');
    await full.done;
    expect(engine.store.listSteps(full.runId, 0, 10)).toMatchObject([
      { nodeId: 'add1', status: 'succeeded', inputs: { a: 1, b: 2 }, outputs: { sum: 3 } },
    ]);
    const metadata = start(doc, {}, [], 'metadata');
    await metadata.done;
    const [step] = engine.store.listSteps(metadata.runId, 0, 10);
    expect(step).toMatchObject({ nodeId: 'add1', inputs: null, outputs: null });
    expect(step?.durationMs).toBeGreaterThanOrEqual(0);
    const none = start(doc, {}, [], 'none');
    await none.done;
    expect(engine.store.listSteps(none.runId, 0, 10)).toEqual([]);
    expect(engine.store.getRun(none.runId)?.status).toBe('succeeded');
  });

  it('shows card timings to the microsecond, and reads history written by earlier versions', async () => {
    setup();
    const wait = flow({
      nodes: [
        card('pause', 'control.waitFor', { amount: lit(0.03), unit: lit('seconds') }),
        card('done', 'control.return', {}),
      ],
    });
    const { runId, done } = start(wait, {}, [], 'metadata');
    await done;
    const [paused] = engine.store.listSteps(runId, 0, 10);
    expect(paused?.durationMs).toBeGreaterThanOrEqual(25);
    expect(paused?.durationMs).toBeLessThan(5000);
    // Whole microseconds: at most three decimals of a millisecond (µs / 1000 is the nearest double
    // to the decimal, as parsing it is; multiplying back is not exact, e.g. 32.074 * 1000).
    expect(Number(paused!.durationMs!.toFixed(3))).toBe(paused!.durationMs);

    // A batch as earlier versions wrote it: durations in milliseconds with decimals, no `u`.
    const db = new Database(engine.dbPath);
    try {
      db.prepare('DELETE FROM run_step_batches WHERE run_id = ?').run(runId);
      db.prepare('INSERT INTO run_step_batches (run_id, first_seq, last_seq, count, steps) VALUES (?, 1, 2, 2, ?)').run(
        runId,
        JSON.stringify({
          t0: Date.parse('2026-11-01T10:00:00Z'),
          s: [''],
          n: ['pause', 'done'],
          t: ['control.waitFor', 'control.return'],
          d: [1, 0, 0, 0, 0, 1, 0, 30.125, 2, 0, 1, 1, 0, 1, 31, 0.002],
          x: {},
        }),
      );
    } finally {
      db.close();
    }
    expect(engine.store.listSteps(runId, 0, 10)).toMatchObject([
      { nodeId: 'pause', durationMs: 30.125, startedAt: '2026-11-01T10:00:00.000Z' },
      { nodeId: 'done', durationMs: 0.002, startedAt: '2026-11-01T10:00:00.031Z' },
    ]);
  });

  it('streams history of a large loop to SQLite with every item step recorded once', async () => {
    setup();
    const helper = flow({
      id: 'one',
      trigger: { kind: 'helper', inputs: [{ name: 'item', type: 'number' }], outputs: [] },
      nodes: [card('add', 'test.add', { a: ref('trigger', 'item'), b: lit(1) })],
    });
    const items = Array.from({ length: 20_000 }, (_, i) => i);
    const doc = flow({ nodes: [card('loop', 'list.forEach', { flow: lit('one'), list: lit(items) })] });
    const { runId, done } = start(doc, {}, [helper], 'full');
    expect((await done).status).toBe('succeeded');
    const count = engine.db.prepare('SELECT SUM(count) AS n FROM run_step_batches WHERE run_id = ?').get(runId) as {
      n: number;
    };
    expect(count.n).toBe(20_001);
    const leftovers = engine.db.prepare('SELECT COUNT(*) AS n FROM run_item_batches').get() as { n: number };
    expect(leftovers.n).toBe(0);
  });

  it('emits progress events for cards and loop items', async () => {
    setup();
    const events: ProgressEvent[] = [];
    engine.executor.onProgress((e) => events.push(e));
    const helper = flow({
      id: 'one',
      trigger: { kind: 'helper', inputs: [], outputs: [] },
      nodes: [card('x', 'test.effect')],
    });
    const doc = flow({ nodes: [card('loop', 'list.forEach', { flow: lit('one'), list: lit([1, 2, 3]) })] });
    await start(doc, {}, [helper]).done;
    const kinds = events.map((e) => e.kind);
    expect(kinds[0]).toBe('run.started');
    expect(kinds).toContain('card.started');
    expect(events.filter((e) => e.kind === 'items.progress').at(-1)).toMatchObject({ done: 3, total: 3 });
    expect(events.at(-1)).toMatchObject({ kind: 'run.finished', status: 'succeeded' });
  });

  describe('commits of table writes', () => {
    /** Runs `read` on a second, read-only connection: it sees committed data only, as another process would. */
    const readCommitted = <T>(read: (db: Database.Database) => T): T => {
      const reader = new Database(engine.dbPath, { readonly: true });
      try {
        return read(reader);
      } finally {
        reader.close();
      }
    };
    const committedRows = () =>
      readCommitted((db) => (db.prepare('SELECT count(*) AS n FROM data_table_rows').get() as { n: number }).n);
    /** One card's outputs in the top frame's committed checkpoint. */
    const committedValues = (nodeId: string) =>
      readCommitted((db) => {
        const row = db.prepare("SELECT state FROM run_frames WHERE scope = ''").get() as { state: string } | undefined;
        return row ? (JSON.parse(row.state) as { values: Record<string, unknown> }).values[nodeId] : null;
      });
    /** Item results in the committed loop records, by index. */
    const committedItems = () =>
      readCommitted((db) => {
        const found: unknown[] = [];
        for (const batch of db.prepare('SELECT items FROM run_item_batches ORDER BY batch').pluck().all() as string[])
          for (const [index, , result] of JSON.parse(batch) as [number, number, unknown][]) found[index] = result;
        return found;
      });
    /** A test engine with a card that has an outside effect: `look` runs when it does. */
    const engineWithOutsideEffect = (look: () => void) => {
      const looks: CardImplementation = {
        descriptor: {
          type: 'test.looks',
          category: 'number',
          title: 'looks',
          description: 'an outside effect that records what another connection sees when it runs',
          inputs: [],
          outputs: [],
          effect: 'sideEffect',
        },
        run: () => {
          look();
          return {};
        },
      };
      engine = createTestEngine({ extraCards: [...testCards().cards, looks] });
    };

    it('commits a table card’s write before a card with an outside effect runs', async () => {
      const seen: number[] = [];
      engineWithOutsideEffect(() => seen.push(committedRows()));
      const table = engine.tables.create({ name: 'made', columns: [{ name: 'n', type: 'number' }] });
      const doc = flow({
        nodes: [
          card('row', 'table.createRow', { table: lit(table.id), values: lit({ n: 1 }) }),
          card('look', 'test.looks', {}),
        ],
      });
      expect((await start(doc).done).status).toBe('succeeded');
      expect(seen).toEqual([1]);
    });

    it('records a varying result on disk before a card with an outside effect runs', async () => {
      const stored: unknown[] = [];
      engineWithOutsideEffect(() => stored.push(committedValues('dice')));
      const doc = flow({
        nodes: [
          card('dice', 'number.randomInt', { min: lit(1), max: lit(1_000_000) }),
          card('double', 'test.add', { a: ref('dice', 'result'), b: ref('dice', 'result') }),
          card('look', 'test.looks', {}),
          card('done', 'control.return', { dice: ref('dice', 'result') }),
        ],
      });
      const outcome = await start(doc).done;
      expect(outcome.status).toBe('succeeded');
      // A restart during the outside effect replays it with the same number, not a new one.
      expect(stored).toEqual([{ result: outcome.output?.['dice'] }]);
    });

    /** A helper flow whose one output varies from run to run. */
    const dice = flow({
      id: 'dice',
      trigger: { kind: 'helper', inputs: [{ name: 'item', type: 'number' }], outputs: [] },
      nodes: [
        card('roll', 'number.randomInt', { min: lit(1), max: lit(1_000_000) }),
        card('done', 'control.return', { n: ref('roll', 'result') }),
      ],
    });

    it('records a varying result of a called flow before the caller’s outside effect runs', async () => {
      const stored: unknown[] = [];
      engineWithOutsideEffect(() => stored.push(committedValues('call')));
      const doc = flow({
        nodes: [
          card('call', 'control.callFlow', { flow: lit('dice') }),
          card('look', 'test.looks', {}),
          card('done', 'control.return', { n: ref('call', 'n') }),
        ],
      });
      const outcome = await start(doc, {}, [dice]).done;
      expect(outcome.status).toBe('succeeded');
      expect(stored).toEqual([{ n: outcome.output?.['n'] }]);
    });

    it('records the items of a loop before the caller’s outside effect runs', async () => {
      let stored: unknown[] = [];
      engineWithOutsideEffect(() => (stored = committedItems()));
      const doc = flow({
        nodes: [
          card('each', 'list.forEach', { flow: lit('dice'), list: lit([1, 2, 3]), concurrency: lit(2) }),
          card('look', 'test.looks', {}),
          card('done', 'control.return', { results: ref('each', 'results') }),
        ],
      });
      const outcome = await start(doc, {}, [dice]).done;
      expect(outcome.status).toBe('succeeded');
      // After a crash during the outside effect the loop would return these same numbers.
      expect(stored).toEqual(outcome.output?.['results']);
    });

    it('plans a card that writes only with a setting as a reading card without it', () => {
      setup();
      const plan = planFlow(
        flow({
          trigger: { kind: 'manual', inputs: [{ name: 'claims', type: 'text' }] },
          nodes: [
            card('plain', 'identity.uniqueEmail', { domain: lit('example.com'), claimTable: lit(' ') }),
            card('claims', 'identity.uniqueEmail', { domain: lit('example.com'), claimTable: lit('t1') }),
            card('bound', 'identity.uniqueEmail', { domain: lit('example.com'), claimTable: ref('trigger', 'claims') }),
          ],
        }),
        (type) => CARD_IMPLEMENTATIONS.get(type),
      );
      const kinds = (id: string) => {
        const planned = plan.cards.get(id)!;
        return { checkpointed: planned.checkpointed, transactional: planned.transactional, external: planned.external };
      };
      expect(kinds('plain')).toEqual({ checkpointed: true, transactional: false, external: false });
      expect(kinds('claims')).toEqual({ checkpointed: true, transactional: true, external: false });
      expect(kinds('bound')).toEqual({ checkpointed: true, transactional: true, external: false });
    });

    it('fails the runs that went on when the commit of their writes fails, and keeps none of those writes', async () => {
      setup();
      const table = engine.tables.create({ name: 'made', columns: [{ name: 'n', type: 'number' }] });
      const store = engine.store as unknown as { commitHeld: { run(): unknown } };
      const commit = store.commitHeld;
      store.commitHeld = {
        run: () => {
          store.commitHeld = commit;
          throw new Error('disk I/O error');
        },
      };
      const item = flow({
        id: 'item',
        trigger: { kind: 'helper', inputs: [{ name: 'item', type: 'number' }], outputs: [] },
        nodes: [
          card('row', 'table.createRow', { table: lit(table.id), values: lit({ n: 1 }) }),
          card('effect', 'test.effect', {}),
        ],
      });
      const doc = flow({
        nodes: [card('each', 'list.forEach', { flow: lit('item'), list: lit([1, 2, 3, 4]), concurrency: lit(4) })],
      });
      const outcome = await start(doc, {}, [item]).done;
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.code).toBe('RUN_NOT_SAVED');
      expect(outcome.error?.message).toContain('disk I/O error');
      expect(committedRows()).toBe(0);
      expect(engine.store.getRun(outcome.runId)?.status).toBe('failed');
    });
  });
});
