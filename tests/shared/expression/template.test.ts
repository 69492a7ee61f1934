import { describe, expect, it } from 'vitest';
import { compileExpression, compileTemplate } from '../../../src/shared/expression/compile.js';
import { FlowsteadError } from '../../../src/shared/errors.js';

const scope = {
  trigger: { first: 'Ada', last: 'Lovelace', count: 3, active: false, tags: ['a', 'b'], manager: null },
  compose1: { text: 'Hello' },
};

function templateError(text: string): FlowsteadError {
  try {
    compileTemplate(text);
  } catch (error) {
    if (error instanceof FlowsteadError) return error;
    throw error;
  }
  throw new Error(`expected \`${text}\` not to compile`);
}

describe('text templates', () => {
  it('fill placeholders with values from the scope', () => {
    expect(compileTemplate('{{trigger.first}}.{{ trigger.last }}@example.com').render(scope)).toBe(
      'Ada.Lovelace@example.com',
    );
    expect(compileTemplate('{{ compose1.text }}, {{ lower(trigger.first) }}!').render(scope)).toBe('Hello, ada!');
  });

  it('write nothing as empty text, lists and objects as JSON, others as text', () => {
    expect(compileTemplate('[{{trigger.manager}}][{{trigger.missing}}]').render(scope)).toBe('[][]');
    expect(compileTemplate('{{trigger.tags}} {{compose1}}').render(scope)).toBe('["a","b"] {"text":"Hello"}');
    expect(compileTemplate('{{trigger.count}} {{trigger.active}}').render(scope)).toBe('3 false');
  });

  it('keep text without placeholders as it is, including lone braces', () => {
    expect(compileTemplate('').render(scope)).toBe('');
    expect(compileTemplate('plain } { text }}').render(scope)).toBe('plain } { text }}');
  });

  it('treat \\{{ as literal braces', () => {
    expect(compileTemplate('\\{{trigger.first}} is {{trigger.first}}').render(scope)).toBe('{{trigger.first}} is Ada');
  });

  it('find the closing braces after quoted text inside a placeholder', () => {
    expect(compileTemplate('{{ coalesce(trigger.manager, "}}") }}!').render(scope)).toBe('}}!');
  });

  it('report an unclosed placeholder with its position', () => {
    const error = templateError('Hi {{trigger.first');
    expect(error.code).toBe('EXPRESSION_SYNTAX');
    expect(error.details).toMatchObject({ source: 'Hi {{trigger.first', index: 3 });
    expect(error.message).toContain('character 4');
    expect(error.message).toContain('`}}`');
  });

  it('report formula mistakes inside a placeholder at their position in the whole text', () => {
    const error = templateError('Hi {{ trigger.first + }}');
    expect(error.code).toBe('EXPRESSION_SYNTAX');
    expect(error.details).toMatchObject({ source: 'Hi {{ trigger.first + }}', index: 21 });
    expect(templateError('{{ trigger.constructor }}').code).toBe('EXPRESSION_FORBIDDEN');
    expect(templateError('{{ nope(1) }}').code).toBe('EXPRESSION_UNKNOWN_FUNCTION');
    expect(templateError('a {{ }} b').message).toContain('empty');
  });

  it('list the references of all placeholders once each', () => {
    const template = compileTemplate(
      '{{trigger.first}} {{ n2.user.emails[0] }} {{trigger.first}} {{ upper(trigger.last) }}',
    );
    expect(template.references).toEqual([
      { node: 'trigger', path: ['first'] },
      { node: 'n2', path: ['user', 'emails', 0] },
      { node: 'trigger', path: ['last'] },
    ]);
  });

  it('are reused for the same text', () => {
    expect(compileTemplate('{{trigger.first}}!')).toBe(compileTemplate('{{trigger.first}}!'));
  });
});

describe('expression references', () => {
  it('list every card path a formula reads, with its static path', () => {
    expect(compileExpression('lower(trigger.first) + n2.user.emails[0]').references).toEqual([
      { node: 'trigger', path: ['first'] },
      { node: 'n2', path: ['user', 'emails', 0] },
    ]);
  });

  it('end the static path at a computed index and include what the index reads', () => {
    expect(compileExpression('n2.users[lookup1.index].email').references).toEqual([
      { node: 'n2', path: ['users'] },
      { node: 'lookup1', path: ['index'] },
    ]);
    expect(compileExpression('n2["a"][0]["b"]').references).toEqual([{ node: 'n2', path: ['a', 0, 'b'] }]);
    expect(compileExpression('n2.list[-1]').references).toEqual([{ node: 'n2', path: ['list'] }]);
  });

  it('include whole-card names and skip function names and literals', () => {
    expect(compileExpression('isEmpty(lookup1) ? "x" : first(list1.items).name').references).toEqual([
      { node: 'lookup1', path: [] },
      { node: 'list1', path: ['items'] },
    ]);
    expect(compileExpression('1 + "a"').references).toEqual([]);
  });
});
