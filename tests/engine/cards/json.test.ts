import { describe, expect, it } from 'vitest';
import { code, outputs, runCard } from './fake-context.js';

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
