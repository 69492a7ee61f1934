import { describe, expect, it } from 'vitest';
import { booleanImplementations } from '../../../src/engine/cards/boolean.js';
import { booleanCards } from '../../../src/shared/cards/catalog/boolean.js';
import { code, outputs, runCard } from './fake-context.js';

const compare = async (a: unknown, operator: string, b?: unknown) =>
  (await outputs('boolean.compare', { a, operator, b }))['result'];

describe('boolean.compare', () => {
  it('eq and ne compare values, objects by content whatever the key order', async () => {
    expect(await compare('IT', 'eq', 'IT')).toBe(true);
    expect(await compare('IT', 'eq', 'it')).toBe(false);
    expect(await compare(1, 'eq', '1')).toBe(false);
    expect(await compare({ a: 1, b: [1, { c: 2 }] }, 'eq', { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(await compare([1, 2], 'eq', [2, 1])).toBe(false);
    expect(await compare(null, 'eq', null)).toBe(true);
    expect(await compare(undefined, 'eq', null)).toBe(true);
    expect(await compare(undefined, 'ne', 'x')).toBe(true);
    expect(await compare({ a: 1 }, 'ne', { a: 2 })).toBe(true);
    expect(await compare('x', 'ne', 'x')).toBe(false);
  });

  it('uses eq by default', async () => {
    expect(await outputs('boolean.compare', { a: 3, b: 3 })).toEqual({ result: true });
  });

  it('orders numbers and texts', async () => {
    expect(await compare(2, 'lt', 10)).toBe(true);
    expect(await compare(10, 'lte', 10)).toBe(true);
    expect(await compare(11, 'gt', 10)).toBe(true);
    expect(await compare(9, 'gte', 10)).toBe(false);
    expect(await compare('apple', 'lt', 'banana')).toBe(true);
    expect(await compare('2026-03-07', 'lt', '2026-03-08')).toBe(true);
  });

  it.each([
    [1, '1'],
    ['a', null],
    [true, false],
    [[1], [2]],
  ])('refuses to order %j and %j with COMPARE_TYPES', async (a, b) => {
    await expect(runCard('boolean.compare', { a, operator: 'lt', b })).rejects.toEqual(code('COMPARE_TYPES'));
  });

  it('contains looks into text and lists', async () => {
    expect(await compare('ana.lopez@example.com', 'contains', '@example.com')).toBe(true);
    expect(await compare('ana', 'contains', 'x')).toBe(false);
    expect(await compare(['it', 'hr'], 'contains', 'hr')).toBe(true);
    expect(await compare(['it', 'hr'], 'contains', 'h')).toBe(false);
    expect(await compare([{ id: 1, n: 'a' }], 'contains', { n: 'a', id: 1 })).toBe(true);
    expect(await compare(42, 'contains', 4)).toBe(false);
  });

  it('startsWith and endsWith work on text only', async () => {
    expect(await compare('ana@example.com', 'startsWith', 'ana')).toBe(true);
    expect(await compare('ana@example.com', 'endsWith', '.com')).toBe(true);
    expect(await compare('ana@example.com', 'endsWith', '.org')).toBe(false);
    expect(await compare(['ana'], 'startsWith', 'ana')).toBe(false);
  });

  it('isEmpty and notEmpty treat nothing, empty text, list and object as empty', async () => {
    for (const value of [null, undefined, '', [], {}]) {
      expect(await compare(value, 'isEmpty')).toBe(true);
      expect(await compare(value, 'notEmpty')).toBe(false);
    }
    for (const value of [0, false, ' ', [null], { a: null }]) {
      expect(await compare(value, 'isEmpty')).toBe(false);
      expect(await compare(value, 'notEmpty')).toBe(true);
    }
  });

  it('refuses an unknown operator', async () => {
    await expect(runCard('boolean.compare', { a: 1, operator: '==', b: 1 })).rejects.toEqual(code('COMPARE_OPERATOR'));
  });
});

describe('boolean.and, or, not', () => {
  it('and is true only when every added condition is true', async () => {
    expect(await outputs('boolean.and', { c1: true, c2: true })).toEqual({ result: true });
    expect(await outputs('boolean.and', { c1: true, c2: false })).toEqual({ result: false });
    expect(await outputs('boolean.and', { c1: true, c2: null })).toEqual({ result: false });
  });

  it('or is true when any added condition is true', async () => {
    expect(await outputs('boolean.or', { c1: false, c2: true })).toEqual({ result: true });
    expect(await outputs('boolean.or', { c1: false, c2: null })).toEqual({ result: false });
    expect(await outputs('boolean.or', {})).toEqual({ result: false });
  });

  it('not flips the condition; nothing counts as false', async () => {
    expect(await outputs('boolean.not', { value: true })).toEqual({ result: false });
    expect(await outputs('boolean.not', { value: false })).toEqual({ result: true });
    expect(await outputs('boolean.not', { value: null })).toEqual({ result: true });
  });
});

describe('comparing with an empty b', () => {
  it.each(['contains', 'startsWith', 'endsWith'])(
    'refuses %s on text when b is empty, so a forgotten b cannot make the condition always true',
    async (operator) => {
      await expect(runCard('boolean.compare', { a: 'ana@example.com', operator })).rejects.toEqual(
        code('COMPARE_MISSING_VALUE'),
      );
      await expect(runCard('boolean.compare', { a: 'ana@example.com', operator, b: null })).rejects.toThrow(
        /b is empty/,
      );
    },
  );

  it('still finds an empty item in a list, and an empty text b is a real value', async () => {
    expect(await compare(['it', null], 'contains', null)).toBe(true);
    expect(await compare(['it'], 'contains', undefined)).toBe(false);
    expect(await compare('ana', 'contains', '')).toBe(true);
    expect(await compare('v2', 'endsWith', 2)).toBe(true);
  });

  it('says which types it got when it cannot order them, and how to fix it', async () => {
    await expect(runCard('boolean.compare', { a: '10', operator: 'gt', b: 9 })).rejects.toThrow(
      /got text and a number\. .*number\(/,
    );
  });
});

describe('boolean cards', () => {
  it('and with no conditions is true, or with none is false', async () => {
    expect(await outputs('boolean.and', {})).toEqual({ result: true });
    expect(await outputs('boolean.or', {})).toEqual({ result: false });
  });

  it('pairs every true/false descriptor with an implementation and the reverse', () => {
    expect(booleanImplementations.map((impl) => impl.descriptor)).toEqual(booleanCards);
  });
});
