import { describe, expect, it } from 'vitest';
import { branchImplementations } from '../../../src/engine/cards/branch.js';
import { Ended, Routed } from '../../../src/engine/cards/types.js';
import { branchCards } from '../../../src/shared/cards/catalog/branch.js';
import { outputs, runCard } from './fake-context.js';

describe('branch.if', () => {
  it('routes to true or false', async () => {
    expect(await runCard('branch.if', { condition: true })).toEqual(new Routed('true'));
    expect(await runCard('branch.if', { condition: false })).toEqual(new Routed('false'));
    expect(await runCard('branch.if', { condition: null })).toEqual(new Routed('false'));
  });
});

describe('branch.ifElseIf', () => {
  it('takes the first true condition', async () => {
    const result = await runCard('branch.ifElseIf', { isIT: false, isHR: true, isManager: true });
    expect(result).toBeInstanceOf(Routed);
    expect(result).toEqual(new Routed('isHR', { matched: 'isHR' }));
  });

  it('takes else when no condition is true, or there are none', async () => {
    expect(await runCard('branch.ifElseIf', { isIT: false, isHR: null })).toEqual(
      new Routed('else', { matched: 'else' }),
    );
    expect(await runCard('branch.ifElseIf', {})).toEqual(new Routed('else', { matched: 'else' }));
  });
});

describe('branch.join', () => {
  it('passes each added value on, and null for branches that did not run', async () => {
    expect(await runCard('branch.join', { upn: 'ana@x', manager: undefined, groups: ['it'], note: null })).toEqual({
      upn: 'ana@x',
      manager: null,
      groups: ['it'],
      note: null,
    });
    expect(await runCard('branch.join', {})).toEqual({});
  });
});

describe('branch.continueIf', () => {
  it('continues with no outputs when true and stops the run successfully when false', async () => {
    expect(await runCard('branch.continueIf', { condition: true })).toEqual({});
    const stopped = await runCard('branch.continueIf', { condition: false });
    expect(stopped).toBeInstanceOf(Ended);
    expect(stopped).toMatchObject({ how: 'stop', outputs: {}, error: undefined });
  });
});

describe('branch.assignIf', () => {
  it('picks one of two values, null when the picked one is unbound', async () => {
    expect(await outputs('branch.assignIf', { condition: true, whenTrue: 'E3', whenFalse: 'E1' })).toEqual({
      value: 'E3',
    });
    expect(await outputs('branch.assignIf', { condition: false, whenTrue: 'E3', whenFalse: 'E1' })).toEqual({
      value: 'E1',
    });
    expect(await outputs('branch.assignIf', { condition: false, whenTrue: 'E3' })).toEqual({ value: null });
    expect(await outputs('branch.assignIf', { condition: true, whenTrue: 0, whenFalse: 1 })).toEqual({ value: 0 });
  });
});

describe('branch.lookup', () => {
  const cases = { IT: 'it-admins', HR: 'hr-team', Sales: { group: 'sales' } };

  it('finds an exact case', async () => {
    expect(await outputs('branch.lookup', { value: 'HR', cases })).toEqual({ result: 'hr-team', matched: true });
    expect(await outputs('branch.lookup', { value: 'Sales', cases })).toEqual({
      result: { group: 'sales' },
      matched: true,
    });
  });

  it('is case-sensitive unless asked otherwise', async () => {
    expect(await outputs('branch.lookup', { value: 'hr', cases })).toEqual({ result: null, matched: false });
    expect(await outputs('branch.lookup', { value: 'hr', cases, caseInsensitive: true })).toEqual({
      result: 'hr-team',
      matched: true,
    });
  });

  it('prefers the exact case over another spelling when ignoring case', async () => {
    expect(
      await outputs('branch.lookup', { value: 'it', cases: { IT: 'upper', it: 'lower' }, caseInsensitive: true }),
    ).toEqual({ result: 'lower', matched: true });
  });

  it('gives the default when nothing matches', async () => {
    expect(await outputs('branch.lookup', { value: 'Legal', cases, default: 'everyone' })).toEqual({
      result: 'everyone',
      matched: false,
    });
    expect(await outputs('branch.lookup', { value: 'toString', cases })).toEqual({ result: null, matched: false });
  });
});

describe('branch cards', () => {
  it('if / else-if checks conditions in the order they were added, not by name', async () => {
    expect(await runCard('branch.ifElseIf', { zManager: true, aIT: true })).toEqual(
      new Routed('zManager', { matched: 'zManager' }),
    );
  });

  it('join keeps the order of the added values', async () => {
    expect(Object.keys(await outputs('branch.join', { upn: 'a', email: 'b', manager: null }))).toEqual([
      'upn',
      'email',
      'manager',
    ]);
  });

  it('lookup of an empty value gives the default unless a case is the empty text', async () => {
    expect(await outputs('branch.lookup', { value: null, cases: { IT: 1 }, default: 0 })).toEqual({
      result: 0,
      matched: false,
    });
    expect(await outputs('branch.lookup', { value: '', cases: { '': 'blank' } })).toEqual({
      result: 'blank',
      matched: true,
    });
  });

  it('pairs every branching descriptor with an implementation and the reverse', () => {
    expect(branchImplementations.map((impl) => impl.descriptor)).toEqual(branchCards);
  });
});
