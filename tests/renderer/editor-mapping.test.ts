import { describe, expect, it } from 'vitest';
import { summarize, toCanvasEdges, toCanvasNodes, upstreamValues } from '../../src/renderer/src/editor/mapping.js';
import type { ValidationProblem } from '../../src/shared/api/contract.js';
import { FLOW_SCHEMA_VERSION, type FlowDocument } from '../../src/shared/flow/schema.js';

const flow: FlowDocument = {
  schemaVersion: FLOW_SCHEMA_VERSION,
  id: 'f',
  name: 'Mover',
  description: '',
  folder: '',
  historyLevel: 'full',
  trigger: { kind: 'manual', inputs: [{ name: 'dept', type: 'text', required: true }] },
  nodes: [
    {
      id: 'check',
      type: 'branch.if',
      position: { x: 0, y: 0 },
      inputs: { condition: { kind: 'expr', source: 'trigger.dept == "IT"' } },
    },
    {
      id: 'it',
      type: 'text.compose',
      title: 'IT group',
      position: { x: 200, y: 0 },
      inputs: { text: { kind: 'literal', value: 'it-staff' } },
    },
    { id: 'other', type: 'text.compose', position: { x: 200, y: 100 }, inputs: {}, settings: { onError: 'branch' } },
  ],
  edges: [
    { id: 'e1', source: 'trigger', sourceHandle: 'next', target: 'check' },
    { id: 'e2', source: 'check', sourceHandle: 'true', target: 'it' },
    { id: 'e3', source: 'check', sourceHandle: 'false', target: 'other' },
  ],
};

describe('canvas mapping', () => {
  it('derives a trigger node and one node per card with title, summary, handles and problem count', () => {
    const nodes = toCanvasNodes(flow, {
      problemsByCard: new Map([['other', [{ code: 'MISSING_INPUT', node: 'other', path: [], message: 'x' }]]]),
      statuses: { it: 'succeeded' },
    });
    expect(nodes.map((n) => n.id)).toEqual(['trigger', 'check', 'it', 'other']);
    expect(nodes[1]?.data).toMatchObject({
      title: 'If / else',
      handles: ['true', 'false'],
      summary: 'condition: = trigger.dept == "IT"',
    });
    expect(nodes[2]?.data).toMatchObject({ title: 'IT group', status: 'succeeded', problemCount: 0 });
    expect(nodes[3]?.data).toMatchObject({ handles: ['next', 'error'], problemCount: 1 });
  });

  it('labels edges that leave from handles other than next', () => {
    expect(toCanvasEdges(flow).map((e) => e.label ?? null)).toEqual([null, 'true', 'false']);
  });

  it('offers only values of the trigger and of cards that run earlier', () => {
    const values = upstreamValues(flow, 'it').map((v) => `${v.node}.${v.output}`);
    expect(values).toEqual(['trigger.dept']);
    expect(upstreamValues(flow, 'check').map((v) => v.node)).toEqual(['trigger']);
  });

  it('shortens long input summaries', () => {
    const long = { ...flow.nodes[1]!, inputs: { text: { kind: 'literal' as const, value: 'x'.repeat(200) } } };
    expect(summarize(long).length).toBeLessThanOrEqual(60);
  });
});

describe('connector cards on the canvas', () => {
  it('show the connection by name, and say when it is missing', () => {
    const card = {
      id: 'get',
      type: 'http.get',
      position: { x: 0, y: 0 },
      inputs: {
        connection: { kind: 'literal' as const, value: '5a27b9ea-5009-478d-b0c1' },
        path: { kind: 'literal' as const, value: '/users' },
      },
    };
    const doc = { ...flow, nodes: [card], edges: [] } as unknown as FlowDocument;
    const named = toCanvasNodes(doc, { problemsByCard: new Map(), connectionName: () => 'HR API' });
    expect(named[1]?.data.summary).toBe('connection: HR API, path: "/users"');
    expect(named[1]?.data.connector).toEqual({ icon: '{ }', name: 'HTTP' });
    const missing = toCanvasNodes(doc, { problemsByCard: new Map(), connectionName: () => undefined });
    expect(missing[1]?.data.summary).toBe('connection: missing, path: "/users"');
  });
});

describe('canvas mapping memoisation', () => {
  const noProblems = { problemsByCard: new Map() };

  it('maps an unchanged card object to the same node, so the canvas does not redraw it', () => {
    const first = toCanvasNodes(flow, noProblems);
    const moved = {
      ...flow,
      nodes: flow.nodes.map((n) => (n.id === 'it' ? { ...n, position: { x: 300, y: 0 } } : n)),
    };
    const second = toCanvasNodes(moved, noProblems);
    expect(second[1]).toBe(first[1]);
    expect(second[3]).toBe(first[3]);
    expect(second[2]).not.toBe(first[2]);
    expect(second[2]?.position).toEqual({ x: 300, y: 0 });
    expect(toCanvasEdges(moved)[0]).toBe(toCanvasEdges(flow)[0]);
  });

  it('maps a card again when its problem count or run status changes', () => {
    const first = toCanvasNodes(flow, noProblems);
    const problem: ValidationProblem = { code: 'MISSING_INPUT', node: 'check', path: [], message: 'x' };
    const withProblem = toCanvasNodes(flow, { problemsByCard: new Map([['check', [problem]]]) });
    expect(withProblem[1]).not.toBe(first[1]);
    expect(withProblem[1]?.data).toMatchObject({ problemCount: 1 });
    const running = toCanvasNodes(flow, { ...noProblems, statuses: { check: 'running' } });
    expect(running[1]?.data).toMatchObject({ status: 'running', problemCount: 0 });
    expect(running[2]).toBe(first[2]);
  });
});
