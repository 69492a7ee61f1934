import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../../src/shared/flow/validate.js';
import { card, chain, context, edge, flow, lit, tpl } from '../fixtures.js';

const compose = (id: string, text = 'hi') => card(id, 'text.compose', { text: lit(text) });
const codes = (problems: { code: string }[]) => problems.map((p) => p.code);

describe('validating a flow’s cards', () => {
  it('accepts a well-formed flow', () => {
    const doc = flow({
      nodes: [compose('c1'), card('c2', 'text.compose', { text: tpl('{{c1.text}} {{trigger.first}}') })],
    });
    expect(validateFlow(doc, context())).toEqual([]);
  });

  it('accepts an empty flow', () => {
    expect(validateFlow(flow({ nodes: [] }), context())).toEqual([]);
  });

  it('reports an unknown card type at the card’s type field', () => {
    const problems = validateFlow(flow({ nodes: [card('x1', 'okta.user.teleport')] }), context());
    expect(problems).toEqual([
      {
        code: 'UNKNOWN_CARD_TYPE',
        node: 'x1',
        path: ['nodes', 0, 'type'],
        message: expect.stringContaining('`okta.user.teleport`'),
      },
    ]);
  });

  it('reports a duplicate card id at the later card', () => {
    const doc = flow({ nodes: [compose('c1'), compose('c1')], edges: chain('c1') });
    const problems = validateFlow(doc, context());
    expect(problems).toContainEqual(
      expect.objectContaining({ code: 'DUPLICATE_NODE', node: 'c1', path: ['nodes', 1, 'id'] }),
    );
    expect(problems.find((p) => p.code === 'DUPLICATE_NODE')?.message).toContain('card 1');
  });

  it('reserves the id `trigger` and JavaScript internals', () => {
    const doc = flow({ nodes: [compose('trigger'), compose('constructor')], edges: [edge('trigger', 'constructor')] });
    const problems = validateFlow(doc, context()).filter((p) => p.code === 'RESERVED_ID');
    expect(problems.map((p) => [p.node, p.path])).toEqual([
      ['trigger', ['nodes', 0, 'id']],
      ['constructor', ['nodes', 1, 'id']],
    ]);
  });

  it('names cards by their title when set, else by the card type’s title', () => {
    const doc = flow({
      nodes: [card('c1', 'text.compose', {}, { title: 'Compose greeting' }), card('c2', 'text.compose')],
    });
    const messages = validateFlow(doc, context()).map((p) => p.message);
    expect(messages[0]).toMatch(/^Card `Compose greeting` \(c1\): input `text` is required/);
    expect(messages[1]).toMatch(/^Card `Compose` \(c2\)/);
  });
});

describe('validating connections', () => {
  it('reports connections whose cards do not exist', () => {
    const doc = flow({
      nodes: [compose('c1')],
      edges: [edge('trigger', 'c1', 'next', 'a'), edge('ghost', 'c1', 'next', 'b'), edge('c1', 'nowhere', 'next', 'c')],
    });
    const problems = validateFlow(doc, context()).filter((p) => p.code === 'DANGLING_EDGE');
    expect(problems).toEqual([
      { code: 'DANGLING_EDGE', node: '', path: ['edges', 1, 'source'], message: expect.stringContaining('`ghost`') },
      {
        code: 'DANGLING_EDGE',
        node: 'c1',
        path: ['edges', 2, 'target'],
        message: expect.stringContaining('`nowhere`'),
      },
    ]);
  });

  it('does not let a connection lead back to the trigger', () => {
    const doc = flow({ nodes: [compose('c1')], edges: [...chain('c1'), edge('c1', 'trigger')] });
    expect(validateFlow(doc, context())).toContainEqual(
      expect.objectContaining({ code: 'DANGLING_EDGE', path: ['edges', 1, 'target'] }),
    );
  });

  it('reports a connection from an output the card does not have, listing the ones it has', () => {
    const doc = flow({
      nodes: [card('if1', 'branch.ifElse', { condition: lit(true) }), compose('c1'), compose('c2')],
      edges: [edge('trigger', 'if1'), edge('if1', 'c1', 'true'), edge('if1', 'c2', 'maybe')],
    });
    const problem = validateFlow(doc, context()).find((p) => p.code === 'UNKNOWN_HANDLE');
    expect(problem).toMatchObject({ node: 'if1', path: ['edges', 2, 'sourceHandle'] });
    expect(problem?.message).toContain('`true`, `false`');
  });

  it('offers the error output only when the card is set to branch on errors', () => {
    const nodes = (onError: 'fail' | 'branch') => [
      card('c1', 'text.compose', { text: lit('x') }, { settings: { onError } }),
      compose('c2'),
      compose('c3'),
    ];
    const edges = [edge('trigger', 'c1'), edge('c1', 'c2'), edge('c1', 'c3', 'error')];
    expect(codes(validateFlow(flow({ nodes: nodes('fail'), edges }), context()))).toContain('UNKNOWN_HANDLE');
    expect(validateFlow(flow({ nodes: nodes('branch'), edges }), context())).toEqual([]);
  });

  it('offers one output per condition on if / else-if cards', () => {
    const doc = flow({
      nodes: [
        card('if1', 'branch.if', { isAdmin: lit(true), isGuest: lit(false) }),
        compose('a'),
        compose('b'),
        compose('c'),
      ],
      edges: [
        edge('trigger', 'if1'),
        edge('if1', 'a', 'isAdmin'),
        edge('if1', 'b', 'else'),
        edge('if1', 'c', 'isManager'),
      ],
    });
    expect(validateFlow(doc, context())).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_HANDLE', path: ['edges', 3, 'sourceHandle'] }),
    ]);
  });

  it('says a terminal card has no outgoing connections', () => {
    const doc = flow({ nodes: [card('r1', 'control.return'), compose('c1')], edges: [...chain('r1', 'c1')] });
    const problem = validateFlow(doc, context()).find((p) => p.code === 'UNKNOWN_HANDLE');
    expect(problem?.message).toContain('ends the flow');
  });

  it('reports two connections from the same output, and repeated connection ids', () => {
    const doc = flow({
      nodes: [compose('c1'), compose('c2'), compose('c3')],
      edges: [edge('trigger', 'c1', 'next', 'e1'), edge('c1', 'c2', 'next', 'e2'), edge('c1', 'c3', 'next', 'e2')],
    });
    const problems = validateFlow(doc, context()).filter((p) => p.code === 'DUPLICATE_EDGE');
    expect(problems.map((p) => p.path)).toEqual([
      ['edges', 2, 'id'],
      ['edges', 2],
    ]);
    expect(problems[1]?.message).toContain('(to `c2` and `c3`)');
  });
});

describe('validating the shape of the control graph', () => {
  it('reports a flow whose trigger leads nowhere, once', () => {
    const problems = validateFlow(
      flow({ nodes: [compose('c1'), compose('c2')], edges: [edge('c1', 'c2')] }),
      context(),
    );
    expect(problems).toEqual([
      { code: 'NO_START', node: '', path: ['edges'], message: expect.stringContaining('connect the trigger') },
    ]);
  });

  it('reports every card that no path from the trigger reaches', () => {
    const doc = flow({
      nodes: [compose('c1'), compose('lonely'), compose('after')],
      edges: [edge('trigger', 'c1'), edge('lonely', 'after')],
    });
    const problems = validateFlow(doc, context()).filter((p) => p.code === 'UNREACHABLE');
    expect(problems.map((p) => [p.node, p.path])).toEqual([
      ['lonely', ['nodes', 1]],
      ['after', ['nodes', 2]],
    ]);
  });

  it('reports a loop naming its cards in order', () => {
    const doc = flow({
      nodes: [compose('a'), compose('b'), compose('c')],
      edges: [edge('trigger', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'a', 'next')],
    });
    const problems = validateFlow(doc, context()).filter((p) => p.code === 'CYCLE');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ node: 'a', path: ['nodes', 0] });
    expect(problems[0]?.message).toContain('`a` → `b` → `c` → `a`');
    expect(problems[0]?.message).toContain('For Each');
  });

  it('reports a card connected to itself and separate loops separately', () => {
    const doc = flow({
      nodes: [card('if1', 'branch.ifElse', { condition: lit(true) }), compose('x'), compose('y'), compose('z')],
      edges: [
        edge('trigger', 'if1'),
        edge('if1', 'if1', 'true'),
        edge('if1', 'x', 'false'),
        edge('x', 'y'),
        edge('y', 'z'),
        edge('z', 'y'),
      ],
    });
    const loops = validateFlow(doc, context()).filter((p) => p.code === 'CYCLE');
    expect(loops.map((p) => p.node)).toEqual(['if1', 'y']);
    expect(loops[0]?.message).toContain('`if1` → `if1`');
    expect(loops[1]?.message).toContain('`y` → `z` → `y`');
  });

  it('accepts branches that join again (a diamond is not a loop)', () => {
    const doc = flow({
      nodes: [card('if1', 'branch.ifElse', { condition: lit(true) }), compose('yes'), compose('no'), compose('join')],
      edges: [
        edge('trigger', 'if1'),
        edge('if1', 'yes', 'true'),
        edge('if1', 'no', 'false'),
        edge('yes', 'join'),
        edge('no', 'join'),
      ],
    });
    expect(validateFlow(doc, context())).toEqual([]);
  });

  it('handles a long chain of cards without trouble', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `c${i}`);
    const doc = flow({ nodes: ids.map((id) => compose(id)), edges: [...chain(...ids), edge('c4999', 'c0')] });
    const problems = validateFlow(doc, context());
    expect(codes(problems)).toEqual(['CYCLE']);
  });

  it('reports every kind of problem at once', () => {
    const doc = flow({
      nodes: [card('c1', 'nope'), compose('c1'), card('c2', 'text.compose', { txt: lit('x') })],
      edges: [edge('c2', 'ghost')],
    });
    expect(new Set(codes(validateFlow(doc, context())))).toEqual(
      new Set(['UNKNOWN_CARD_TYPE', 'DUPLICATE_NODE', 'MISSING_INPUT', 'UNKNOWN_INPUT', 'DANGLING_EDGE', 'NO_START']),
    );
  });
});
