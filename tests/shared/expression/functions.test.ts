import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../src/shared/expression/compile.js';
import { FlowsteadError } from '../../../src/shared/errors.js';

const scope = {
  trigger: { first: '  Ada ', email: 'Ada@Example.com', tags: ['eng', 'ops'], empty: '', none: null, n: 2.345 },
  people: { list: [{ name: 'a' }, { name: 'b' }] },
};
const run = (source: string) => compileExpression(source).evaluate(scope);

function failure(source: string): FlowsteadError {
  try {
    run(source);
  } catch (error) {
    if (error instanceof FlowsteadError) return error;
    throw error;
  }
  throw new Error(`expected \`${source}\` to fail`);
}

describe('text functions', () => {
  it('change case and trim, treating nothing as empty text', () => {
    expect(run('lower(trigger.email)')).toBe('ada@example.com');
    expect(run('upper("abc")')).toBe('ABC');
    expect(run('trim(trigger.first)')).toBe('Ada');
    expect(run('lower(trigger.none)')).toBe('');
    expect(run('upper(12)')).toBe('12');
  });

  it('refuse lists and objects where text is expected, naming the function', () => {
    const error = failure('lower(trigger.tags)');
    expect(error.code).toBe('EXPRESSION_TYPE');
    expect(error.message).toBe('`lower` expects text, got a list.');
  });

  it('measure text and lists', () => {
    expect(run('length("abc")')).toBe(3);
    expect(run('length(trigger.tags)')).toBe(2);
    expect(run('length(trigger.none)')).toBe(0);
    expect(failure('length(12)').message).toContain('text or a list');
  });

  it('concat joins text, or lists when the first value is a list', () => {
    expect(run('concat("a", 1, trigger.none, "b")')).toBe('a1b');
    expect(run('concat(trigger.tags, ["x"], "y")')).toEqual(['eng', 'ops', 'x', 'y']);
  });

  it('contains looks inside text or a list', () => {
    expect(run('contains(trigger.email, "@")')).toBe(true);
    expect(run('contains(trigger.tags, "ops")')).toBe(true);
    expect(run('contains(trigger.tags, "dev")')).toBe(false);
    expect(run('contains([[1, 2], [3]], [3])')).toBe(true);
    expect(run('contains(trigger.none, "x")')).toBe(false);
  });

  it('startsWith and endsWith', () => {
    expect(run('startsWith(trigger.email, "Ada")')).toBe(true);
    expect(run('endsWith(trigger.email, ".org")')).toBe(false);
  });

  it('replace changes every occurrence literally', () => {
    expect(run('replace("a.b.c", ".", "-")')).toBe('a-b-c');
    expect(run('replace("a.b", ".", "$&$&")')).toBe('a$&$&b');
    expect(run('replace("abc", "", "x")')).toBe('abc');
  });

  it('substring takes a start and an optional end', () => {
    expect(run('substring("abcdef", 2)')).toBe('cdef');
    expect(run('substring("abcdef", 1, 3)')).toBe('bc');
    expect(failure('substring("abc", 1.5)').code).toBe('EXPRESSION_TYPE');
  });

  it('split and join', () => {
    expect(run('split("a,b,c", ",")')).toEqual(['a', 'b', 'c']);
    expect(run('split(trigger.empty, ",")')).toEqual([]);
    expect(run('join(trigger.tags, " + ")')).toBe('eng + ops');
    expect(run('join(trigger.tags)')).toBe('eng,ops');
    expect(failure('join("abc", ",")').message).toContain('`join` expects a list');
  });
});

describe('number functions', () => {
  it('round half away from zero, at the given decimals, without binary surprises', () => {
    expect(run('round(2.5)')).toBe(3);
    expect(run('round(-2.5)')).toBe(-3);
    expect(run('round(trigger.n, 2)')).toBe(2.35);
    expect(run('round(1.005, 2)')).toBe(1.01);
    expect(run('round(1234.5678, 0)')).toBe(1235);
    expect(failure('round(1, 20)').message).toContain('0 to 15');
    expect(failure('round("1")').message).toBe('`round` expects a number, got text.');
  });

  it('floor, ceil, abs, min and max', () => {
    expect(run('floor(2.7)')).toBe(2);
    expect(run('ceil(2.1)')).toBe(3);
    expect(run('abs(-4)')).toBe(4);
    expect(run('min(3, 1, 2)')).toBe(1);
    expect(run('max([3, 9, 2])')).toBe(9);
    expect(run('max([])')).toBeUndefined();
    expect(failure('min(1, "2")').code).toBe('EXPRESSION_TYPE');
  });
});

describe('conversion and choice functions', () => {
  it('number reads numeric text and keeps nothing as nothing', () => {
    expect(run('number("42") + 1')).toBe(43);
    expect(run('number(" 3.5 ")')).toBe(3.5);
    expect(run('number(true)')).toBe(1);
    expect(run('number(trigger.none)')).toBeUndefined();
    expect(failure('number("forty")').message).toContain('"forty"');
  });

  it('text writes any value as text', () => {
    expect(run('text(12)')).toBe('12');
    expect(run('text(trigger.tags)')).toBe('["eng","ops"]');
    expect(run('text(trigger.none)')).toBe('');
  });

  it('coalesce returns the first value that is not empty, and skips the rest', () => {
    expect(run('coalesce(trigger.none, trigger.empty, trigger.missing, "fallback", 1 / 0)')).toBe('fallback');
    expect(run('coalesce(0, 1)')).toBe(0);
    expect(run('coalesce(trigger.none)')).toBeUndefined();
  });

  it('isEmpty is true for nothing, empty text, empty lists and empty objects', () => {
    expect(run('isEmpty(trigger.none)')).toBe(true);
    expect(run('isEmpty(trigger.empty)')).toBe(true);
    expect(run('isEmpty([])')).toBe(true);
    expect(compileExpression('isEmpty(x)').evaluate({ x: {} })).toBe(true);
    expect(run('isEmpty(0)')).toBe(false);
    expect(run('isEmpty(" ")')).toBe(false);
  });

  it('first and last pick from lists and give nothing for empty ones', () => {
    expect(run('first(trigger.tags)')).toBe('eng');
    expect(run('last(trigger.tags)')).toBe('ops');
    expect(run('first([])')).toBeUndefined();
    expect(run('last(trigger.none)')).toBeUndefined();
    expect(run('first(people.list).name')).toBe('a');
  });

  it('if evaluates only the chosen value', () => {
    expect(run('if(contains(trigger.tags, "eng"), "engineer", 1 / 0)')).toBe('engineer');
    expect(run('if(trigger.none, 1 / 0, "no manager")')).toBe('no manager');
  });
});
