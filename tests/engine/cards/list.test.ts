import { describe, expect, it } from 'vitest';
import { listImplementations } from '../../../src/engine/cards/list.js';
import { CARD_IMPLEMENTATIONS } from '../../../src/engine/cards/registry.js';
import { listCards } from '../../../src/shared/cards/catalog/list.js';
import { code, fakeContext, outputs, runCard } from './fake-context.js';

const list = async (type: string, inputs: Record<string, unknown>) => (await outputs(type, inputs))['list'];

const people = [
  { name: 'Ana', dept: 'IT', age: 34, active: true, profile: { email: 'ana@example.com' } },
  { name: 'Bo', dept: 'HR', age: 28, active: false, profile: { email: 'bo@example.com' } },
  { name: 'Cy', dept: 'IT', age: 41, active: true },
];

it('implements every list card with the catalog descriptor itself, and nothing else', () => {
  expect(listImplementations.map((impl) => impl.descriptor.type)).toEqual(listCards.map((d) => d.type));
  listCards.forEach((descriptor, n) => {
    expect(listImplementations[n]?.descriptor, descriptor.type).toBe(descriptor);
    expect(CARD_IMPLEMENTATIONS.get(descriptor.type), descriptor.type).toBe(listImplementations[n]);
  });
  for (const descriptor of listCards)
    expect(descriptor.effect).toBe(descriptor.type === 'list.forEach' ? 'sideEffect' : 'pure');
});

describe('list.forEach', () => {
  it('passes the flow, the list, concurrency, continueOnError and extra inputs to ctx.forEach', async () => {
    const ctx = fakeContext({
      forEach: () => ({ results: [{ ok: 1 }, null], errors: [{ index: 1, error: { code: 'X', message: 'x' } }] }),
    });
    const result = await runCard(
      'list.forEach',
      { flow: 'flow-offboard', list: ['a', 'b'], concurrency: 5, continueOnError: true, ticket: 'T-1', dryRun: false },
      ctx,
    );
    expect(ctx.calls.forEach).toEqual([
      {
        flowId: 'flow-offboard',
        items: ['a', 'b'],
        options: { concurrency: 5, continueOnError: true, extraInputs: { ticket: 'T-1', dryRun: false } },
      },
    ]);
    expect(result).toEqual({ results: [{ ok: 1 }, null], errors: [{ index: 1, error: { code: 'X', message: 'x' } }] });
  });

  it('runs one at a time and stops on error by default', async () => {
    const ctx = fakeContext();
    await runCard('list.forEach', { flow: 'f', list: [] }, ctx);
    expect(ctx.calls.forEach[0]?.options).toEqual({ concurrency: 1, continueOnError: false, extraInputs: {} });
  });

  it.each([0, 51, -1, Number.NaN])('refuses concurrency %s with LIST_CONCURRENCY', async (concurrency) => {
    const ctx = fakeContext();
    await expect(runCard('list.forEach', { flow: 'f', list: [1], concurrency }, ctx)).rejects.toEqual(
      code('LIST_CONCURRENCY'),
    );
    expect(ctx.calls.forEach).toEqual([]);
  });

  it.each(['item', 'index'])('refuses an added input named %s, which the helper receives anyway', async (name) => {
    const ctx = fakeContext();
    await expect(runCard('list.forEach', { flow: 'f', list: [1], [name]: 'x' }, ctx)).rejects.toEqual(
      code('LIST_FOREACH_INPUT'),
    );
    expect(ctx.calls.forEach).toEqual([]);
  });

  it('lets a helper failure reach the executor when continueOnError is off', async () => {
    const ctx = fakeContext({ forEach: () => Promise.reject(new Error('helper failed on item 3')) });
    await expect(runCard('list.forEach', { flow: 'f', list: [1, 2, 3, 4] }, ctx)).rejects.toThrow(/item 3/);
  });

  it('accepts the bounds 1 and 50', async () => {
    for (const concurrency of [1, 50])
      await expect(runCard('list.forEach', { flow: 'f', list: [], concurrency })).resolves.toBeDefined();
  });
});

describe('list formulas', () => {
  it('map evaluates the formula with item and index', async () => {
    expect(await list('list.map', { list: people, expression: 'upper(item.name)' })).toEqual(['ANA', 'BO', 'CY']);
    expect(await list('list.map', { list: ['a', 'b'], expression: 'index * 10' })).toEqual([0, 10]);
    expect(await list('list.map', { list: [], expression: 'item' })).toEqual([]);
  });

  it('map, filter and find need a formula', async () => {
    for (const type of ['list.map', 'list.filter', 'list.find'])
      await expect(runCard(type, { list: [1], expression: '  ' })).rejects.toEqual(code('MISSING_INPUT'));
  });

  it('reports a formula mistake with an expression error code', async () => {
    await expect(runCard('list.map', { list: [1], expression: 'item +' })).rejects.toEqual(
      expect.objectContaining({ code: expect.stringMatching(/^EXPRESSION_/) as unknown }),
    );
  });

  it('names the position of the item a formula fails on', async () => {
    const ages = [{ age: 30 }, { age: 41 }, { age: { years: 3 } }];
    const failure = runCard('list.map', { list: ages, expression: 'item.age + 1' });
    await expect(failure).rejects.toEqual(
      expect.objectContaining({ code: 'EXPRESSION_TYPE', details: expect.objectContaining({ index: 2 }) as unknown }),
    );
    await expect(failure).rejects.toThrow(/^Map: for the item at position 2: /);
    await expect(runCard('list.sort', { list: ages, by: 'item.age * 2' })).rejects.toThrow(/^Sort: .*position 2/);
    await expect(runCard('list.filter', { list: ages, expression: 'item.age > 35' })).rejects.toThrow(
      /^Filter: .*position 2/,
    );
  });

  it('filter keeps the items whose formula is exactly true', async () => {
    expect(await list('list.filter', { list: people, expression: 'item.active == true' })).toEqual([
      people[0],
      people[2],
    ]);
    expect(await list('list.filter', { list: [1, 2, 3], expression: 'index >= 1' })).toEqual([2, 3]);
  });

  it('filter and find read a formula result as yes or no the way `? :` does', async () => {
    const users = [{ email: 'ana@example.com' }, { email: '' }, {}, { email: null }, { email: 'bo@example.com' }];
    expect(await list('list.filter', { list: users, expression: 'item.email' })).toEqual([users[0], users[4]]);
    expect(await list('list.filter', { list: [0, 1, 2, Number.NaN], expression: 'item' })).toEqual([1, 2]);
    expect(await outputs('list.find', { list: users, expression: '!item.email' })).toEqual({
      item: users[1],
      index: 1,
      found: true,
    });
  });

  it('find gives the first match, its index and found', async () => {
    expect(await outputs('list.find', { list: people, expression: 'item.dept == "IT"' })).toEqual({
      item: people[0],
      index: 0,
      found: true,
    });
    expect(await outputs('list.find', { list: people, expression: 'item.age > 30 && index > 0' })).toEqual({
      item: people[2],
      index: 2,
      found: true,
    });
    expect(await outputs('list.find', { list: people, expression: 'item.dept == "Sales"' })).toEqual({
      item: null,
      index: -1,
      found: false,
    });
  });
});

describe('list.pluck', () => {
  it('takes nested fields and gives null where they are missing', async () => {
    expect(await list('list.pluck', { list: people, path: 'profile.email' })).toEqual([
      'ana@example.com',
      'bo@example.com',
      null,
    ]);
    expect(await list('list.pluck', { list: [{ emails: ['a@x', 'b@x'] }, { emails: [] }], path: 'emails[0]' })).toEqual(
      ['a@x', null],
    );
    expect(await list('list.pluck', { list: [{ emails: ['a@x', 'b@x'] }, 'text', null], path: 'emails.1' })).toEqual([
      'b@x',
      null,
      null,
    ]);
  });

  it('refuses prototype paths', async () => {
    await expect(runCard('list.pluck', { list: [{}], path: 'constructor.name' })).rejects.toEqual(
      code('OBJECT_PATH_FORBIDDEN'),
    );
  });
});

describe('list.sort', () => {
  it('sorts numbers by value, not as text', async () => {
    expect(await list('list.sort', { list: [10, 9, 100, 1] })).toEqual([1, 9, 10, 100]);
    expect(await list('list.sort', { list: [10, 9, 100, 1], direction: 'desc' })).toEqual([100, 10, 9, 1]);
  });

  it('sorts text alphabetically', async () => {
    expect(await list('list.sort', { list: ['charlie', 'Ana', 'bo'] })).toEqual(['Ana', 'bo', 'charlie']);
  });

  it('keeps empty values last in both directions', async () => {
    expect(await list('list.sort', { list: [3, null, 1, null, 2] })).toEqual([1, 2, 3, null, null]);
    expect(await list('list.sort', { list: [3, null, 1, 2], direction: 'desc' })).toEqual([3, 2, 1, null]);
  });

  it('sorts by a formula, stably, and does not change the input', async () => {
    const input = [...people];
    expect(await list('list.sort', { list: input, by: 'item.dept' })).toEqual([people[1], people[0], people[2]]);
    expect(await list('list.sort', { list: input, by: 'item.dept', direction: 'desc' })).toEqual([
      people[0],
      people[2],
      people[1],
    ]);
    expect(await list('list.sort', { list: input, by: 'item.age', direction: 'desc' })).toEqual([
      people[2],
      people[0],
      people[1],
    ]);
    expect(input).toEqual(people);
  });

  it('accepts the direction in capitals and refuses an unknown one', async () => {
    expect(await list('list.sort', { list: [1, 3, 2], direction: 'DESC' })).toEqual([3, 2, 1]);
    await expect(runCard('list.sort', { list: [1], direction: 'descending' })).rejects.toEqual(
      code('LIST_SORT_DIRECTION'),
    );
  });

  it('sorts an empty list and a single item', async () => {
    expect(await list('list.sort', { list: [] })).toEqual([]);
    expect(await list('list.sort', { list: [{ a: 1 }], by: 'item.a' })).toEqual([{ a: 1 }]);
  });

  it('puts items whose formula gives nothing last', async () => {
    expect(await list('list.sort', { list: [{ n: 2 }, {}, { n: 1 }], by: 'item.n', direction: 'desc' })).toEqual([
      { n: 2 },
      { n: 1 },
      {},
    ]);
  });
});

describe('list.unique', () => {
  it('removes equal values, including objects with keys in another order', async () => {
    expect(await list('list.unique', { list: [1, '1', 1, 2, null, null] })).toEqual([1, '1', 2, null]);
    expect(await list('list.unique', { list: [{ a: 1, b: 2 }, { b: 2, a: 1 }, { a: 2 }] })).toEqual([
      { a: 1, b: 2 },
      { a: 2 },
    ]);
  });

  it('compares by a formula and keeps the first', async () => {
    expect(await list('list.unique', { list: people, by: 'item.dept' })).toEqual([people[0], people[1]]);
    expect(await list('list.unique', { list: ['Ana', 'ANA', 'bo'], by: 'lower(item)' })).toEqual(['Ana', 'bo']);
  });
});

describe('list positions', () => {
  it('length counts the items', async () => {
    expect(await outputs('list.length', { list: [1, 2, 3] })).toEqual({ length: 3 });
    expect(await outputs('list.length', { list: [] })).toEqual({ length: 0 });
  });

  it('at takes an item by position; negative positions count from the end', async () => {
    expect(await outputs('list.at', { list: ['a', 'b', 'c'], index: 0 })).toEqual({ item: 'a' });
    expect(await outputs('list.at', { list: ['a', 'b', 'c'], index: -1 })).toEqual({ item: 'c' });
    expect(await outputs('list.at', { list: ['a', 'b', 'c'], index: -3 })).toEqual({ item: 'a' });
    expect(await outputs('list.at', { list: ['a', null], index: 1 })).toEqual({ item: null });
  });

  it.each([3, -4, Number.NaN])('at refuses position %s with LIST_INDEX_OUT_OF_RANGE', async (index) => {
    await expect(runCard('list.at', { list: ['a', 'b', 'c'], index })).rejects.toEqual(code('LIST_INDEX_OUT_OF_RANGE'));
  });

  it('at explains the positions of an empty list', async () => {
    await expect(runCard('list.at', { list: [], index: 0 })).rejects.toThrow(/has 0 item/);
  });

  it('first and last give found=false on an empty list', async () => {
    expect(await outputs('list.first', { list: ['a', 'b'] })).toEqual({ item: 'a', found: true });
    expect(await outputs('list.last', { list: ['a', 'b'] })).toEqual({ item: 'b', found: true });
    expect(await outputs('list.first', { list: [] })).toEqual({ item: null, found: false });
    expect(await outputs('list.last', { list: [] })).toEqual({ item: null, found: false });
  });
});

describe('list.join and list.flatten', () => {
  it('join uses ", " by default, writes objects as JSON and empty values as nothing', async () => {
    expect(await outputs('list.join', { list: ['a', 1, true] })).toEqual({ text: 'a, 1, true' });
    expect(await outputs('list.join', { list: ['a', null, { x: 1 }], separator: ';' })).toEqual({
      text: 'a;;{"x":1}',
    });
    expect(await outputs('list.join', { list: ['a', 'b'], separator: '' })).toEqual({ text: 'ab' });
    expect(await outputs('list.join', { list: [] })).toEqual({ text: '' });
  });

  it('flatten goes one level deep by default, or as deep as asked', async () => {
    const nested = [1, [2, [3, [4]]]];
    expect(await list('list.flatten', { list: nested })).toEqual([1, 2, [3, [4]]]);
    expect(await list('list.flatten', { list: nested, depth: 2 })).toEqual([1, 2, 3, [4]]);
    expect(await list('list.flatten', { list: nested, depth: 10 })).toEqual([1, 2, 3, 4]);
    expect(await list('list.flatten', { list: nested, depth: 0 })).toEqual(nested);
    expect(await list('list.flatten', { list: nested, depth: -1 })).toEqual(nested);
  });
});

describe('list set operations', () => {
  const a = ['ana', 'bo', 'bo', { id: 1, tags: ['x'] }];
  const b = ['bo', 'cy', { tags: ['x'], id: 1 }];

  it('union keeps each value once, in first-seen order', async () => {
    expect(await list('list.union', { a, b })).toEqual(['ana', 'bo', { id: 1, tags: ['x'] }, 'cy']);
  });

  it('intersection keeps values of a also in b, comparing objects by content', async () => {
    expect(await list('list.intersection', { a, b })).toEqual(['bo', { id: 1, tags: ['x'] }]);
  });

  it('difference keeps values of a not in b', async () => {
    expect(await list('list.difference', { a, b })).toEqual(['ana']);
    expect(await list('list.difference', { a: [1, 2], b: [] })).toEqual([1, 2]);
    expect(await list('list.difference', { a: [1, '1'], b: ['1'] })).toEqual([1]);
  });
});
