import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../../src/shared/flow/validate.js';
import { card, context, edge, expr, flow, lit, ref, tpl } from '../fixtures.js';

const find = (email = lit('ada@example.com'), more = {}) => card('find1', 'okta.user.find', { email, ...more });

describe('validating card inputs', () => {
  it('reports a required input without value or default, and accepts literal defaults', () => {
    const problems = validateFlow(flow({ nodes: [card('find1', 'okta.user.find')] }), context());
    expect(problems).toEqual([
      {
        code: 'MISSING_INPUT',
        node: 'find1',
        path: ['nodes', 0, 'inputs', 'email'],
        message:
          "Card `Find user` (find1): input `email` is required. Type a value or bind it to an earlier card's output.",
      },
    ]);
  });

  it('treats a literal null on a required input as missing', () => {
    const problems = validateFlow(flow({ nodes: [find(lit(null))] }), context());
    expect(problems.map((p) => p.code)).toEqual(['MISSING_INPUT']);
  });

  it('reports inputs the card does not have, suggesting close names', () => {
    const problems = validateFlow(
      flow({ nodes: [find(undefined, { emial: lit('x'), colour: lit('red') })] }),
      context(),
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['UNKNOWN_INPUT', ['nodes', 0, 'inputs', 'emial']],
      ['UNKNOWN_INPUT', ['nodes', 0, 'inputs', 'colour']],
    ]);
    expect(problems[0]?.message).toContain('Did you mean `email`?');
  });

  it('accepts user-named inputs on cards that take extra inputs', () => {
    const doc = flow({
      nodes: [card('obj1', 'object.construct', { firstName: tpl('{{trigger.first}}'), age: lit(3) })],
    });
    expect(validateFlow(doc, context())).toEqual([]);
  });

  it('reports literals of the wrong type, and accepts ones that convert cleanly', () => {
    const doc = flow({ nodes: [find(lit(['a', 'b']), { limit: lit('ten'), since: lit('yesterday') })] });
    const problems = validateFlow(doc, context());
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['INPUT_TYPE', ['nodes', 0, 'inputs', 'email']],
      ['INPUT_TYPE', ['nodes', 0, 'inputs', 'limit']],
      ['INPUT_TYPE', ['nodes', 0, 'inputs', 'since']],
    ]);
    expect(problems[0]?.message).toBe(
      "Card `Find user` (find1): input `email` expects text, but the value typed in is a list. Enter text, or bind the input to another card's output.",
    );
    const fine = flow({ nodes: [find(lit(42), { limit: lit('10'), since: lit('2024-05-01') })] });
    expect(validateFlow(fine, context())).toEqual([]);
  });

  it('reports a literal that is not one of the input’s choices', () => {
    const problems = validateFlow(flow({ nodes: [find(undefined, { status: lit('deleted') })] }), context());
    expect(problems).toEqual([expect.objectContaining({ code: 'INPUT_TYPE', path: ['nodes', 0, 'inputs', 'status'] })]);
    expect(problems[0]?.message).toContain('`active`, `suspended`');
  });

  it('reports formula and template mistakes with the card and input', () => {
    const doc = flow({
      nodes: [
        card('c1', 'text.compose', { text: expr('lower(trigger.first') }),
        card('c2', 'text.compose', { text: tpl('Hi {{trigger.first') }),
      ],
    });
    const problems = validateFlow(doc, context());
    expect(problems.map((p) => [p.code, p.node, p.path])).toEqual([
      ['EXPRESSION_SYNTAX', 'c1', ['nodes', 0, 'inputs', 'text']],
      ['EXPRESSION_SYNTAX', 'c2', ['nodes', 1, 'inputs', 'text']],
    ]);
    expect(problems[0]?.message).toMatch(/^Card `Compose` \(c1\): input `text`: The formula/);
  });

  it('reports other formula mistakes under their own codes', () => {
    const doc = flow({
      nodes: [
        card('c1', 'text.compose', { text: expr('lowr(trigger.first)') }),
        card('c2', 'text.compose', { text: expr('trigger.constructor') }),
      ],
    });
    expect(validateFlow(doc, context()).map((p) => p.code)).toEqual([
      'EXPRESSION_UNKNOWN_FUNCTION',
      'EXPRESSION_FORBIDDEN',
    ]);
  });

  it('checks formulas that a card evaluates per item, where item and index are known', () => {
    const good = flow({
      nodes: [
        card('f1', 'list.filter', { list: ref('trigger', 'email'), condition: lit('item.active and index < 10') }),
      ],
    });
    expect(validateFlow(good, context())).toEqual([]);
    const bad = flow({ nodes: [card('f1', 'list.filter', { list: lit([]), condition: lit('item.active and') })] });
    expect(validateFlow(bad, context()).map((p) => p.code)).toEqual(['EXPRESSION_SYNTAX']);
    const unknown = flow({ nodes: [card('f1', 'list.filter', { list: lit([]), condition: lit('itme.active') })] });
    expect(validateFlow(unknown, context())[0]?.message).toContain('`item` and `index` name the current list item');
  });
});

describe('validating references', () => {
  it('reports a reference to a card that is not in the flow', () => {
    const doc = flow({ nodes: [find(), card('c1', 'text.compose', { text: ref('fnd1', 'user') })] });
    const problems = validateFlow(doc, context());
    expect(problems).toEqual([
      expect.objectContaining({ code: 'REF_UNKNOWN_NODE', node: 'c1', path: ['nodes', 1, 'inputs', 'text'] }),
    ]);
    expect(problems[0]?.message).toContain('Did you mean `find1`?');
  });

  it('reports a reference to a card that runs later or in another branch', () => {
    const doc = flow({
      nodes: [
        card('if1', 'branch.ifElse', { condition: lit(true) }),
        find(),
        card('compose1', 'text.compose', { text: tpl('{{lookup2.user}}') }, { title: 'Compose greeting' }),
        card('lookup2', 'okta.user.find', { email: lit('x') }),
      ],
      edges: [
        edge('trigger', 'if1'),
        edge('if1', 'find1', 'true'),
        edge('if1', 'compose1', 'false'),
        edge('compose1', 'lookup2'),
      ],
    });
    const problems = validateFlow(doc, context());
    expect(problems).toEqual([
      {
        code: 'REF_NOT_UPSTREAM',
        node: 'compose1',
        path: ['nodes', 2, 'inputs', 'text'],
        message:
          'Card `Compose greeting` (compose1): input `text` refers to card `lookup2`, which does not run before this card. Connect lookup2 upstream of compose1 or pick another value.',
      },
    ]);
  });

  it('accepts a card from another branch when a path leads from it to this card', () => {
    const doc = flow({
      nodes: [
        card('if1', 'branch.ifElse', { condition: lit(true) }),
        find(),
        card('skip', 'text.compose', { text: lit('') }),
        card('join', 'text.compose', { text: expr('text(find1.user)') }),
      ],
      edges: [
        edge('trigger', 'if1'),
        edge('if1', 'find1', 'true'),
        edge('if1', 'skip', 'false'),
        edge('find1', 'join'),
        edge('skip', 'join'),
      ],
    });
    expect(validateFlow(doc, context())).toEqual([]);
  });

  it('reports a card referring to its own output', () => {
    const doc = flow({ nodes: [card('c1', 'text.compose', { text: expr('c1.text') })] });
    const problems = validateFlow(doc, context());
    expect(problems.map((p) => p.code)).toEqual(['REF_NOT_UPSTREAM']);
    expect(problems[0]?.message).toContain('own output');
  });

  it('reports an output the card does not declare, checking only the first step', () => {
    const doc = flow({
      nodes: [find(), card('c1', 'text.compose', { text: tpl('{{find1.usr.email}} {{find1.user.anything.goes}}') })],
    });
    const problems = validateFlow(doc, context());
    expect(problems).toEqual([expect.objectContaining({ code: 'REF_UNKNOWN_OUTPUT', node: 'c1' })]);
    expect(problems[0]?.message).toContain('`find1.usr`');
    expect(problems[0]?.message).toContain('Did you mean `user`?');
  });

  it('accepts any output name on cards with outputs that depend on their inputs', () => {
    const doc = flow({
      nodes: [card('obj1', 'object.construct', { a: lit(1) }), card('c1', 'text.compose', { text: ref('obj1', 'a') })],
    });
    expect(validateFlow(doc, context())).toEqual([]);
  });

  it('reports trigger inputs the trigger does not declare, once per name', () => {
    const doc = flow({
      nodes: [card('c1', 'text.compose', { text: tpl('{{trigger.frist}} {{trigger.frist.x}} {{trigger.first}}') })],
    });
    const problems = validateFlow(doc, context());
    expect(problems).toEqual([
      expect.objectContaining({ code: 'REF_UNKNOWN_TRIGGER_INPUT', node: 'c1', path: ['nodes', 0, 'inputs', 'text'] }),
    ]);
    expect(problems[0]?.message).toContain('Did you mean `first`?');
  });

  it('checks references inside expressions, including computed indexes', () => {
    const doc = flow({
      nodes: [
        find(),
        card('c1', 'text.compose', { text: expr('find1.user[later.key]') }),
        card('later', 'text.compose', { text: lit('') }),
      ],
    });
    expect(validateFlow(doc, context()).map((p) => p.code)).toEqual(['REF_NOT_UPSTREAM']);
  });
});
