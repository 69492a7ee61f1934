import { input, output, type CardDescriptor } from '../../src/shared/cards/descriptor.js';
import type { ValidationContext } from '../../src/shared/flow/validate.js';
import type { Binding, CardNode, Edge, FlowDocument, JsonValue, Trigger } from '../../src/shared/flow/schema.js';

/**
 * Small card descriptors for validation tests, so they do not depend on the real catalog
 * (which is written separately and may change).
 */
function descriptor(type: string, title: string, extra: Partial<CardDescriptor> = {}): CardDescriptor {
  return { type, category: 'text', title, description: title, inputs: [], outputs: [], effect: 'pure', ...extra };
}

export const testDescriptors: readonly CardDescriptor[] = [
  descriptor('text.compose', 'Compose', {
    inputs: [input('text', 'text', 'The text with placeholders', { multiline: true })],
    outputs: [output('text', 'text', 'The composed text')],
  }),
  descriptor('okta.user.find', 'Find user', {
    inputs: [
      input('email', 'text', 'Login email'),
      input('status', 'text', 'Status filter', {
        required: false,
        options: ['active', 'suspended'],
        default: 'active',
      }),
      input('limit', 'number', 'How many', { required: false }),
      input('since', 'date', 'Changed since', { required: false }),
    ],
    outputs: [output('user', 'object', 'The user'), output('found', 'boolean', 'Whether one was found')],
    effect: 'sideEffect',
  }),
  descriptor('branch.ifElse', 'If / Else', {
    category: 'branch',
    inputs: [input('condition', 'boolean', 'Condition')],
    handles: ['true', 'false'],
  }),
  descriptor('branch.if', 'If / Else If', {
    category: 'branch',
    inputs: [],
    extraInputs: { type: 'boolean', description: 'One condition per branch' },
    handlesFromExtraInputs: ['else'],
  }),
  descriptor('control.return', 'Return', {
    category: 'control',
    inputs: [],
    extraInputs: { type: 'any', description: 'Outputs of the flow' },
    terminal: true,
  }),
  descriptor('object.construct', 'Construct object', {
    category: 'object',
    extraInputs: { type: 'any', description: 'Fields' },
    outputs: [output('object', 'object', 'The object')],
    dynamicOutputs: true,
  }),
  descriptor('list.filter', 'Filter list', {
    category: 'list',
    inputs: [input('list', 'list', 'The list'), input('condition', 'expression', 'Keep items where this is true')],
    outputs: [output('list', 'list', 'Kept items')],
  }),
  descriptor('control.callFlow', 'Call flow', {
    category: 'control',
    inputs: [input('flow', 'flow', 'Helper flow')],
    extraInputs: { type: 'any', description: 'Helper inputs' },
    dynamicOutputs: true,
    effect: 'sideEffect',
  }),
  descriptor('control.ifError', 'If error', {
    category: 'control',
    inputs: [input('flow', 'flow', 'Helper flow')],
    extraInputs: { type: 'any', description: 'Helper inputs' },
    outputs: [output('error', 'object', 'The error, if any')],
    dynamicOutputs: true,
    handles: ['next', 'error'],
    effect: 'sideEffect',
  }),
  descriptor('list.forEach', 'For each', {
    category: 'list',
    inputs: [
      input('flow', 'flow', 'Helper flow run per item'),
      input('list', 'list', 'Items'),
      input('concurrency', 'number', 'Items at once', { required: false, default: 1 }),
    ],
    extraInputs: { type: 'any', description: 'Inputs passed to every run' },
    outputs: [output('results', 'list', 'Results'), output('errors', 'list', 'Errors')],
    effect: 'sideEffect',
  }),
  descriptor('table.read', 'Read table', {
    category: 'table',
    inputs: [
      input('table', 'table', 'Table'),
      input('helper', 'flow', 'Optional post-processing', { required: false }),
    ],
    outputs: [output('rows', 'list', 'Rows')],
  }),
];

const byType = new Map(testDescriptors.map((d) => [d.type, d]));

export const lit = (value: JsonValue): Binding => ({ kind: 'literal', value });
export const ref = (node: string, ...path: (string | number)[]): Binding => ({ kind: 'ref', node, path });
export const tpl = (text: string): Binding => ({ kind: 'template', text });
export const expr = (source: string): Binding => ({ kind: 'expr', source });

export function card(
  id: string,
  type: string,
  inputs: Record<string, Binding> = {},
  extra: Partial<CardNode> = {},
): CardNode {
  return { id, type, position: { x: 0, y: 0 }, inputs, ...extra };
}

let edgeCounter = 0;
export function edge(source: string, target: string, sourceHandle = 'next', id = `e${++edgeCounter}`): Edge {
  return { id, source, target, sourceHandle };
}

/** Connects the trigger and the given cards in a straight line. */
export function chain(...ids: string[]): Edge[] {
  const all = ['trigger', ...ids];
  return ids.map((id, i) => edge(all[i] as string, id));
}

export function flow(parts: Partial<FlowDocument> & { nodes: CardNode[] }): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'flow1',
    name: 'Onboard user',
    description: '',
    folder: '',
    trigger: {
      kind: 'manual',
      inputs: [
        { name: 'email', type: 'text', required: true },
        { name: 'first', type: 'text', required: false },
      ],
    },
    edges: chain(...parts.nodes.map((n) => n.id)),
    historyLevel: 'full',
    ...parts,
  };
}

export function helperFlow(id: string, inputs: Extract<Trigger, { kind: 'helper' }>['inputs']): FlowDocument {
  return flow({ id, name: `Helper ${id}`, trigger: { kind: 'helper', inputs, outputs: [] }, nodes: [], edges: [] });
}

export function context(flows: readonly FlowDocument[] = []): ValidationContext {
  const flowsById = new Map(flows.map((f) => [f.id, f]));
  return { findDescriptor: (type) => byType.get(type), findFlow: (id) => flowsById.get(id) };
}
