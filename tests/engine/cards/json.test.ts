import { describe, expect, it } from 'vitest';
import { jsonImplementations } from '../../../src/engine/cards/json.js';
import { CARD_IMPLEMENTATIONS } from '../../../src/engine/cards/registry.js';
import { jsonCards } from '../../../src/shared/cards/catalog/json.js';
import { code, outputs, runCard } from './fake-context.js';

it('implements every JSON card with the catalog descriptor itself, and nothing else', () => {
  expect(jsonImplementations.map((impl) => impl.descriptor.type)).toEqual(jsonCards.map((d) => d.type));
  jsonCards.forEach((descriptor, n) => {
    expect(jsonImplementations[n]?.descriptor, descriptor.type).toBe(descriptor);
    expect(CARD_IMPLEMENTATIONS.get(descriptor.type), descriptor.type).toBe(jsonImplementations[n]);
    expect(descriptor.effect, descriptor.type).toBe('pure');
  });
});

/** The error Parse JSON gives for `text`. */
async function parseError(text: string): Promise<{ message: string; details?: Record<string, unknown> }> {
  try {
    await runCard('json.parse', { text });
  } catch (error) {
    return error as { message: string; details?: Record<string, unknown> };
  }
  throw new Error(`${JSON.stringify(text)} parsed without an error`);
}

describe('json.parse', () => {
  it('reads objects, lists and plain values', async () => {
    expect(await outputs('json.parse', { text: '{"user":{"id":7,"groups":["it"]}}' })).toEqual({
      value: { user: { id: 7, groups: ['it'] } },
    });
    expect(await outputs('json.parse', { text: ' [1, "a", null] ' })).toEqual({ value: [1, 'a', null] });
    expect(await outputs('json.parse', { text: 'true' })).toEqual({ value: true });
    expect(await outputs('json.parse', { text: '"José"' })).toEqual({ value: 'José' });
  });

  it.each(['', '{', "{'a': 1}", '{"a": 1,}', 'undefined', '{"a": 1} x'])('refuses %j with JSON_PARSE', async (text) => {
    await expect(runCard('json.parse', { text })).rejects.toEqual(code('JSON_PARSE'));
  });

  it('explains the problem', async () => {
    await expect(runCard('json.parse', { text: '{"a": }' })).rejects.toThrow(/not valid JSON/);
  });

  it('gives the line, column and position of the mistake', async () => {
    const error = await parseError('{\n  "email": "ana@example.com",\n  "active": tru\n}');
    expect(error.details).toEqual({ position: 44, line: 3, column: 13 });
    expect(error.message).toMatch(/at line 3, column 13 \(position 44\)/);
  });

  it.each([
    ['{"a": 1,}', /comma after the last item/],
    ["{'a': 1}", /double quotes/],
    ['{name: "Ana"}', /field names in double quotes/],
    ['{"a": 1 "b": 2}', /comma may be missing between the fields/],
    ['[1 2]', /comma may be missing between the items/],
    ['{"a": True}', /lowercase/],
    ['{"a": undefined}', /use null/],
    ['{"groups": ["it"', /`\]` is missing/],
    ['{"a": 1} {"b": 2}', /wrap several in a list/],
    ['// note\n{}', /no comments/],
    ['{"path": "C:\\temp\\x"}', /Double a backslash/],
    ['{"a": 01}', /Write numbers like/],
    ['  ', /empty/],
  ])('hints how to fix %j', async (text, hint) => {
    expect((await parseError(text)).message).toMatch(hint);
  });

  it('does not quote the text itself, which may hold secrets, in the message', async () => {
    const error = await parseError('{"token": "s3cr3t-value", oops}');
    expect(error.message).not.toContain('s3cr3t');
    expect(error.message).toMatch(/`oops` where a field name should be/);
  });

  it('keeps a __proto__ field as plain data without touching prototypes', async () => {
    const { value } = await outputs('json.parse', { text: '{"__proto__": {"polluted": true}}' });
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('json.stringify', () => {
  it('writes compact JSON by default', async () => {
    expect(await outputs('json.stringify', { value: { a: 1, b: ['x', null] } })).toEqual({
      text: '{"a":1,"b":["x",null]}',
    });
    expect(await outputs('json.stringify', { value: 'José' })).toEqual({ text: '"José"' });
    expect(await outputs('json.stringify', { value: null })).toEqual({ text: 'null' });
    expect(await outputs('json.stringify', {})).toEqual({ text: 'null' });
  });

  it('indents with two spaces when pretty', async () => {
    expect(await outputs('json.stringify', { value: { a: 1, b: [2] }, pretty: true })).toEqual({
      text: '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}',
    });
  });

  it('round-trips through parse', async () => {
    const value = { name: 'José Müller', tags: ['a', 'b'], nested: { ok: true, n: 1.5 } };
    const { text } = await outputs('json.stringify', { value, pretty: true });
    expect(await outputs('json.parse', { text })).toEqual({ value });
  });
});
