import { describe, expect, it } from 'vitest';
import { parseAndValidateFlow } from '../../../src/shared/flow/validate.js';
import { card, context, flow, lit } from '../fixtures.js';

describe('parsing and validating an untrusted flow document', () => {
  it('returns the parsed flow with defaults and its problems', () => {
    const raw = {
      schemaVersion: 1,
      id: 'f1',
      name: 'Offboard',
      trigger: { kind: 'manual' },
      nodes: [{ id: 'c1', type: 'text.compose', position: { x: 0, y: 0 } }],
      edges: [{ id: 'e1', source: 'trigger', target: 'c1' }],
    };
    const result = parseAndValidateFlow(raw, context());
    expect(result.flow?.historyLevel).toBe('full');
    expect(result.flow?.edges[0]?.sourceHandle).toBe('next');
    expect(result.problems.map((p) => p.code)).toEqual(['MISSING_INPUT']);
  });

  it('reports every schema mistake at once with where it is and what to fix', () => {
    const raw = {
      schemaVersion: 1,
      id: 'f1',
      name: ' ',
      trigger: { kind: 'sometimes' },
      nodes: [
        { id: '1st', type: 'text.compose', position: { x: 'left', y: 0 } },
        { type: 'text.compose', position: { x: 0, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'trigger' }],
      historyLevel: 'everything',
    };
    const { flow: parsed, problems } = parseAndValidateFlow(raw, context());
    expect(parsed).toBeUndefined();
    expect(problems.every((p) => p.code === 'SCHEMA')).toBe(true);
    const byPath = new Map(problems.map((p) => [JSON.stringify(p.path), p]));
    expect(byPath.get('["name"]')?.message).toBe('The flow field `name`: Give the flow a name.');
    expect(byPath.get('["trigger","kind"]')).toMatchObject({
      node: 'trigger',
      message: expect.stringContaining('`manual`, `schedule`'),
    });
    expect(byPath.get('["nodes",0,"id"]')).toMatchObject({
      node: '1st',
      message: expect.stringContaining('start with a letter'),
    });
    expect(byPath.get('["nodes",0,"position","x"]')?.message).toBe(
      'Card `1st` field `position.x` should be a number, but is text.',
    );
    expect(byPath.get('["nodes",1,"id"]')?.message).toBe('Card 2 field `id` is missing; add text.');
    expect(byPath.get('["edges",0,"target"]')?.message).toBe('Connection 1 field `target` is missing; add text.');
    expect(byPath.get('["historyLevel"]')?.message).toContain('`full`, `metadata`, `none`');
  });

  it('says when the document is not a flow at all, without throwing', () => {
    for (const raw of [null, 42, 'flow', [], undefined]) {
      const result = parseAndValidateFlow(raw, context());
      expect(result.flow).toBeUndefined();
      expect(result.problems.length).toBeGreaterThan(0);
      expect(result.problems[0]?.code).toBe('SCHEMA');
    }
    expect(parseAndValidateFlow(null, context()).problems[0]?.message).toBe(
      'The flow document should be an object, but is empty (null).',
    );
  });

  it('explains a document from another format version', () => {
    const raw = { ...flow({ nodes: [card('c1', 'text.compose', { text: lit('x') })] }), schemaVersion: 7 };
    const { problems } = parseAndValidateFlow(raw, context());
    expect(problems).toEqual([
      { code: 'SCHEMA', node: '', path: ['schemaVersion'], message: expect.stringContaining('reads format 1') },
    ]);
  });
});
