import { describe, expect, it } from 'vitest';
import { autoLayout } from '../../src/renderer/src/canvas/auto-layout.js';
import { FLOW_SCHEMA_VERSION, type FlowDocument } from '../../src/shared/flow/schema.js';

const card = (id: string) => ({ id, type: 'text.compose', position: { x: 0, y: 0 }, inputs: {} });
const edge = (source: string, target: string, sourceHandle = 'next') => ({
  id: `${source}-${target}`,
  source,
  sourceHandle,
  target,
});

const flow: FlowDocument = {
  schemaVersion: FLOW_SCHEMA_VERSION,
  id: 'f',
  name: 'Branches',
  description: '',
  folder: '',
  historyLevel: 'full',
  trigger: { kind: 'manual', inputs: [] },
  nodes: [card('check'), card('yes'), card('no'), card('join')],
  edges: [
    edge('trigger', 'check'),
    edge('check', 'yes', 'true'),
    edge('check', 'no', 'false'),
    edge('yes', 'join'),
    edge('no', 'join'),
  ],
};

describe('auto-layout', () => {
  it('lays cards out left to right in run order, with branches side by side', () => {
    const at = autoLayout(flow);
    expect(at['trigger']!.x).toBeLessThan(at['check']!.x);
    expect(at['check']!.x).toBeLessThan(at['yes']!.x);
    expect(at['yes']!.x).toBe(at['no']!.x);
    expect(at['yes']!.y).not.toBe(at['no']!.y);
    expect(at['join']!.x).toBeGreaterThan(at['yes']!.x);
  });
});
