import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../src/shared/expression/compile.js';
import { FlowsteadError } from '../../../src/shared/errors.js';

const scope = {
  trigger: { first: 'Ada', last: 'Lovelace', age: 36, tags: ['eng', 'ops'], manager: null },
  n2: { user: { emails: ['ada@example.com', 'ada@home.example'], profile: { dept: 'R&D' } } },
  lookup1: { found: true, count: 0 },
};

const run = (source: string, values: Record<string, unknown> = scope) => compileExpression(source).evaluate(values);

function compileError(source: string): FlowsteadError {
  try {
    compileExpression(source);
  } catch (error) {
    if (error instanceof FlowsteadError) return error;
    throw error;
  }
  throw new Error(`expected \`${source}\` not to compile`);
}

function evaluationError(source: string, values: Record<string, unknown> = scope): FlowsteadError {
  const compiled = compileExpression(source);
  try {
    compiled.evaluate(values);
  } catch (error) {
    if (error instanceof FlowsteadError) return error;
    throw error;
  }
  throw new Error(`expected \`${source}\` to fail`);
}

describe('formula values', () => {
  it('reads numbers, quoted text in either quotes, true/false/null and lists', () => {
    expect(run('42')).toBe(42);
    expect(run('1.5e2')).toBe(150);
    expect(run("'single'")).toBe('single');
    expect(run('"double \\"quoted\\""')).toBe('double "quoted"');
    expect(run('true')).toBe(true);
    expect(run('null')).toBeNull();
    expect(run('[1, "a", trigger.first]')).toEqual([1, 'a', 'Ada']);
    expect(run('[]')).toEqual([]);
  });

  it('looks names up in the scope and gives undefined for unknown names', () => {
    expect(run('trigger')).toBe(scope.trigger);
    expect(run('nobody')).toBeUndefined();
    expect(run('item', { item: { id: 7 } })).toEqual({ id: 7 });
  });

  it('reads nested fields and list positions, in dot or bracket form', () => {
    expect(run('n2.user.emails[0]')).toBe('ada@example.com');
    expect(run('n2["user"]["profile"].dept')).toBe('R&D');
    expect(run('n2.user.emails[lookup1.count + 1]')).toBe('ada@home.example');
    expect(run('trigger.tags[1]')).toBe('ops');
  });

  it('gives undefined for missing steps instead of failing', () => {
    expect(run('n2.user.phone.mobile')).toBeUndefined();
    expect(run('trigger.manager.email')).toBeUndefined();
    expect(run('trigger.first.length')).toBeUndefined();
    expect(run('trigger.tags[9]')).toBeUndefined();
    expect(run('nobody.at.all[0]')).toBeUndefined();
  });

  it('reads only a value’s own fields, never inherited ones', () => {
    expect(run('trigger.toString')).toBeUndefined();
    expect(run('trigger.hasOwnProperty')).toBeUndefined();
    expect(run('trigger.tags.map')).toBeUndefined();
    expect(run('toString')).toBeUndefined();
  });
});

describe('operators', () => {
  it('adds numbers and joins text, treating nothing as empty text', () => {
    expect(run('1 + 2')).toBe(3);
    expect(run('trigger.first + " " + trigger.last')).toBe('Ada Lovelace');
    expect(run('"age " + trigger.age')).toBe('age 36');
    expect(run('"x" + trigger.missing + null')).toBe('x');
    expect(run('"tags: " + trigger.tags')).toBe('tags: ["eng","ops"]');
  });

  it('refuses to add values that are neither numbers nor text', () => {
    const error = evaluationError('trigger.age + null');
    expect(error.code).toBe('EXPRESSION_TYPE');
    expect(error.message).toContain('`+`');
    expect(error.message).toContain('a number and nothing');
    expect(evaluationError('trigger.tags + trigger.tags').message).toContain('concat()');
  });

  it('does arithmetic on numbers and names the operator when given something else', () => {
    expect(run('10 - 4 * 2')).toBe(2);
    expect(run('(10 - 4) * 2')).toBe(12);
    expect(run('7 / 2')).toBe(3.5);
    expect(run('7 % 3')).toBe(1);
    expect(run('-trigger.age')).toBe(-36);
    const error = evaluationError('trigger.first * 2');
    expect(error.code).toBe('EXPRESSION_TYPE');
    expect(error.message).toBe('`*` works on numbers, got text and a number.');
    expect(evaluationError('-trigger.first').message).toContain('needs a number, got text');
  });

  it('stops on division by zero rather than producing Infinity', () => {
    expect(evaluationError('1 / lookup1.count').code).toBe('EXPRESSION_DIVISION_BY_ZERO');
    expect(evaluationError('1 % 0').code).toBe('EXPRESSION_DIVISION_BY_ZERO');
  });

  it('compares strictly, and lists and objects by content', () => {
    expect(run('1 == 1')).toBe(true);
    expect(run('1 == "1"')).toBe(false);
    expect(run('trigger.tags == ["eng", "ops"]')).toBe(true);
    expect(run('trigger.tags != ["ops", "eng"]')).toBe(true);
    expect(run('n2.user.profile == n2.user.profile')).toBe(true);
    expect(compileExpression('a == b').evaluate({ a: { x: [1, { y: 2 }] }, b: { x: [1, { y: 2 }] } })).toBe(true);
    expect(compileExpression('a == b').evaluate({ a: { x: 1 }, b: { x: 1, y: 2 } })).toBe(false);
    expect(run('trigger.manager == null')).toBe(true);
    expect(run('trigger.missing == null')).toBe(false);
  });

  it('orders numbers and text, and refuses to mix them', () => {
    expect(run('trigger.age >= 18')).toBe(true);
    expect(run('"apple" < "banana"')).toBe(true);
    expect(run('2 <= 1')).toBe(false);
    const error = evaluationError('trigger.age > "10"');
    expect(error.code).toBe('EXPRESSION_TYPE');
    expect(error.message).toContain('`>`');
  });

  it('combines conditions with symbols or words, returning true/false', () => {
    expect(run('lookup1.found && trigger.age > 30')).toBe(true);
    expect(run('lookup1.found and trigger.age > 40')).toBe(false);
    expect(run('lookup1.count or trigger.first')).toBe(true);
    expect(run('not lookup1.found')).toBe(false);
    expect(run('!trigger.missing')).toBe(true);
    expect(run('not (1 > 2) and true')).toBe(true);
  });

  it('short-circuits so the right side is not evaluated when it does not matter', () => {
    expect(run('false and 1 / 0 == 1')).toBe(false);
    expect(run('true or trigger.first * 2')).toBe(true);
  });

  it('chooses with condition ? then : otherwise, evaluating only the chosen side', () => {
    expect(run('trigger.age > 30 ? "senior" : "junior"')).toBe('senior');
    expect(run('lookup1.count ? 1 / lookup1.count : "none"')).toBe('none');
  });
});

describe('formula mistakes found when compiling', () => {
  it('reports syntax errors with the position and what was expected', () => {
    const error = compileError('trigger.first +');
    expect(error.code).toBe('EXPRESSION_SYNTAX');
    expect(error.details).toEqual({ source: 'trigger.first +', index: 15 });
    expect(error.message).toContain('character 16');
    expect(error.message).toContain('a value is missing after `+`');
    expect(compileError('lower(trigger.first').message).toContain('expected `)`');
    expect(compileError('"open').message).toContain('quoted text is not closed');
    expect(compileError('a ? b').message).toContain('`:`');
  });

  it('rejects empty formulas and several formulas at once', () => {
    expect(compileError('').code).toBe('EXPRESSION_SYNTAX');
    expect(compileError('   ').message).toContain('empty');
    expect(compileError('a b').code).toBe('EXPRESSION_SYNTAX');
    expect(compileError('a, b').code).toBe('EXPRESSION_SYNTAX');
    expect(compileError('(a, b)').code).toBe('EXPRESSION_SYNTAX');
  });

  it('forbids reading JavaScript internals by name', () => {
    for (const source of [
      'trigger.__proto__',
      'trigger.constructor',
      'trigger["prototype"]',
      'trigger.tags.constructor.name',
      'constructor',
    ]) {
      expect(compileError(source).code, source).toBe('EXPRESSION_FORBIDDEN');
    }
  });

  it('yields undefined when a computed key names JavaScript internals', () => {
    const values = {
      key: '__proto__',
      data: JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}') as unknown,
    };
    expect(compileExpression('data[key]').evaluate(values)).toBeUndefined();
    expect(compileExpression('data["con" + "structor"]').evaluate(values)).toBeUndefined();
    expect(compileExpression('data[true]').evaluate(values)).toBeUndefined();
  });

  it('forbids method calls, this, and anything beyond the language', () => {
    expect(compileError('trigger.first.toUpperCase()').code).toBe('EXPRESSION_FORBIDDEN');
    expect(compileError('lower(trigger.first).trim()').code).toBe('EXPRESSION_FORBIDDEN');
    expect(compileError('this').code).toBe('EXPRESSION_FORBIDDEN');
    expect(compileError('this.x').code).toBe('EXPRESSION_FORBIDDEN');
    expect(() => compileExpression('new Date()')).toThrow(FlowsteadError);
    expect(() => compileExpression('a = 1')).toThrow(FlowsteadError);
    expect(() => compileExpression('x => x')).toThrow(FlowsteadError);
    expect(() => compileExpression('/ab+c/')).toThrow(FlowsteadError);
    expect(() => compileExpression('`hi ${a}`')).toThrow(FlowsteadError);
    expect(compileError('a | b').message).toContain('use `or`');
    expect(compileError('a ?? b').message).toContain('coalesce');
    expect(compileError('+trigger.age').message).toContain('number(x)');
  });

  it('names close functions when a function is unknown', () => {
    const error = compileError('lowr(trigger.first)');
    expect(error.code).toBe('EXPRESSION_UNKNOWN_FUNCTION');
    expect(error.message).toContain('`lowr`');
    expect(error.message).toContain('Did you mean `lower`?');
    expect(compileError('eval("1")').code).toBe('EXPRESSION_UNKNOWN_FUNCTION');
    expect(compileError('toString(1)').code).toBe('EXPRESSION_UNKNOWN_FUNCTION');
  });

  it('checks how many values a function gets', () => {
    const error = compileError('replace(trigger.first, "a")');
    expect(error.code).toBe('EXPRESSION_ARGUMENTS');
    expect(error.message).toContain('takes 3');
    expect(compileError('round()').message).toContain('takes 1 to 2');
    expect(compileError('coalesce()').message).toContain('at least 1');
  });
});

describe('compiled formulas', () => {
  it('are reused for the same source text', () => {
    expect(compileExpression('trigger.age + 1')).toBe(compileExpression('trigger.age + 1'));
  });

  it('keep working after many other formulas push them out of the cache', () => {
    const first = compileExpression('trigger.age * 3');
    for (let i = 0; i < 1100; i++) compileExpression(`trigger.age + ${i}`);
    const again = compileExpression('trigger.age * 3');
    expect(again).not.toBe(first);
    expect(again.evaluate(scope)).toBe(108);
  });

  it('evaluate against any scope without keeping state between runs', () => {
    const compiled = compileExpression('item.name + "#" + index');
    expect(compiled.evaluate({ item: { name: 'a' }, index: 0 })).toBe('a#0');
    expect(compiled.evaluate({ item: { name: 'b' }, index: 1 })).toBe('b#1');
  });
});
