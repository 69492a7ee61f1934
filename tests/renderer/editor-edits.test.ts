import { describe, expect, it } from 'vitest';
import {
  addCard,
  connect,
  copyFragment,
  insertOnEdge,
  moveCards,
  pasteFragment,
  removeCards,
  setInput,
} from '../../src/renderer/src/editor/edits.js';
import { FLOW_SCHEMA_VERSION, type FlowDocument } from '../../src/shared/flow/schema.js';

const base: FlowDocument = {
  schemaVersion: FLOW_SCHEMA_VERSION,
  id: 'f',
  name: 'Joiner',
  description: '',
  folder: '',
  historyLevel: 'full',
  trigger: { kind: 'manual', inputs: [{ name: 'first', type: 'text', required: false }] },
  nodes: [
    {
      id: 'compose1',
      type: 'text.compose',
      position: { x: 0, y: 0 },
      inputs: { text: { kind: 'template', text: 'Hi {{trigger.first}}' } },
    },
    {
      id: 'upper1',
      type: 'text.upper',
      position: { x: 200, y: 0 },
      inputs: { text: { kind: 'ref', node: 'compose1', path: ['text'] } },
    },
  ],
  edges: [
    { id: 'e1', source: 'trigger', sourceHandle: 'next', target: 'compose1' },
    { id: 'e2', source: 'compose1', sourceHandle: 'next', target: 'upper1' },
  ],
};

describe('flow edits', () => {
  it('never change the document they are given', () => {
    const frozen = structuredClone(base);
    addCard('text.lower', { x: 1, y: 2 }).apply(base);
    removeCards(['compose1']).apply(base);
    moveCards([{ id: 'upper1', position: { x: 9, y: 9 } }]).apply(base);
    expect(base).toEqual(frozen);
  });

  it('give new cards readable ids that do not clash', () => {
    const once = addCard('text.compose', { x: 0, y: 0 }).apply(base);
    expect(once.nodes.at(-1)?.id).toBe('compose2');
  });

  it('remove a card with every edge that touches it', () => {
    const after = removeCards(['compose1']).apply(base);
    expect(after.nodes.map((n) => n.id)).toEqual(['upper1']);
    expect(after.edges).toEqual([]);
  });

  it('let a handle lead to one card only: connecting it again replaces the edge', () => {
    const lower = addCard('text.lower', { x: 0, y: 0 }).apply(base);
    const after = connect('compose1', 'next', 'lower1').apply(lower);
    expect(after.edges.filter((e) => e.source === 'compose1').map((e) => e.target)).toEqual(['lower1']);
  });

  it('insert a card dropped on an edge between its two ends', () => {
    const after = insertOnEdge('e2', 'text.trim', { x: 100, y: 0 }).apply(base);
    const pairs = after.edges.map((e) => `${e.source}->${e.target}`).sort();
    expect(pairs).toEqual(['compose1->trim1', 'trigger->compose1', 'trim1->upper1']);
  });

  it('set and clear an input binding', () => {
    const set = setInput('upper1', 'text', { kind: 'literal', value: 'x' }).apply(base);
    expect(set.nodes[1]?.inputs['text']).toEqual({ kind: 'literal', value: 'x' });
    const cleared = setInput('upper1', 'text', undefined).apply(set);
    expect(cleared.nodes[1]?.inputs).toEqual({});
  });

  it('paste copies with fresh ids; references among the copies follow them, others stay', () => {
    const fragment = copyFragment(base, ['compose1', 'upper1']);
    const after = pasteFragment(fragment).apply(base);
    const [compose2, upper2] = after.nodes.slice(2);
    expect([compose2?.id, upper2?.id]).toEqual(['compose2', 'upper2']);
    expect(upper2?.inputs['text']).toEqual({ kind: 'ref', node: 'compose2', path: ['text'] });
    expect(compose2?.inputs['text']).toEqual({ kind: 'template', text: 'Hi {{trigger.first}}' });
    expect(after.edges.some((e) => e.source === 'compose2' && e.target === 'upper2')).toBe(true);
  });
});
