import type { Edge as CanvasEdge, Node as CanvasNode } from '@vue-flow/core';
import type { ValidationProblem } from '../../../shared/api/contract.js';
import { findDescriptor } from '../../../shared/cards/catalog.js';
import { nodeHandles } from '../../../shared/cards/descriptor.js';
import { TRIGGER_NODE_ID, type Binding, type CardNode, type FlowDocument } from '../../../shared/flow/schema.js';
import type { UpstreamValue } from '../canvas/binding-text.js';
import { CONNECTION_INPUT } from '../../../shared/connectors/definition.js';
import type { CardNodeData } from '../canvas/CardNode.vue';
import type { CardRunStatus } from '../canvas/TestRunPanel.vue';

/** Where the trigger sits when a flow has no saved position for it: left of the first card. */
function triggerPosition(flow: FlowDocument): { x: number; y: number } {
  const firstId = flow.edges.find((e) => e.source === TRIGGER_NODE_ID)?.target;
  const first = (firstId !== undefined ? flow.nodes.find((n) => n.id === firstId) : undefined) ?? flow.nodes[0];
  return first ? { x: first.position.x - 240, y: first.position.y } : { x: 0, y: 0 };
}

function describeBinding(binding: Binding): string {
  switch (binding.kind) {
    case 'literal':
      return typeof binding.value === 'string' ? `"${binding.value}"` : JSON.stringify(binding.value);
    case 'ref':
      return [binding.node, ...binding.path].join('.');
    case 'template':
      return `"${binding.text}"`;
    case 'expr':
      return `= ${binding.source}`;
  }
}

/** A line about the card's inputs, for the canvas: `text: "{{trigger.first}}…"`. */
export function summarize(card: CardNode, connectionLabel?: string): string {
  const text = Object.entries(card.inputs)
    .map(([name, binding]) =>
      name === CONNECTION_INPUT && connectionLabel !== undefined
        ? `connection: ${connectionLabel}`
        : `${name}: ${describeBinding(binding)}`,
    )
    .join(', ');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export interface CanvasState {
  problemsByCard: ReadonlyMap<string, ValidationProblem[]>;
  statuses?: Readonly<Record<string, CardRunStatus>>;
  /** A saved connection's name by id, so cards show "Okta production" rather than an id. */
  connectionName?: (id: string) => string | undefined;
}

interface MappedCard {
  node: CanvasNode;
  problemCount: number;
  status: CardRunStatus | undefined;
  connectionLabel: string | undefined;
}

function connectionLabelOf(card: CardNode, connectionName: CanvasState['connectionName']): string | undefined {
  const binding = card.inputs[CONNECTION_INPUT];
  if (!connectionName || binding?.kind !== 'literal' || typeof binding.value !== 'string') return undefined;
  return connectionName(binding.value) ?? 'missing';
}

/**
 * Canvas nodes by card object. Edits replace the flow document but keep the objects of the cards
 * they do not touch, so an unchanged card maps to the very same node (and data) as before: Vue Flow
 * then sees no change for it and its CardNode does not render again.
 */
const mappedCards = new WeakMap<CardNode, MappedCard>();
const mappedTriggers = new WeakMap<FlowDocument['trigger'], CanvasNode>();

function toCardNode(
  card: CardNode,
  problemCount: number,
  status: CardRunStatus | undefined,
  connectionLabel: string | undefined,
): CanvasNode {
  const known = mappedCards.get(card);
  if (
    known &&
    known.problemCount === problemCount &&
    known.status === status &&
    known.connectionLabel === connectionLabel
  )
    return known.node;
  const descriptor = findDescriptor(card.type);
  const data: CardNodeData = {
    title: card.title ?? descriptor?.title ?? card.type,
    type: card.type,
    category: descriptor?.category ?? 'unknown',
    summary: summarize(card, connectionLabel),
    handles: descriptor ? nodeHandles(descriptor, card) : ['next'],
    problemCount,
    status,
    ...(descriptor?.connector
      ? { connector: { icon: descriptor.connector.icon, name: descriptor.connector.name } }
      : {}),
  };
  const node: CanvasNode = { id: card.id, type: 'card', position: card.position, data };
  mappedCards.set(card, { node, problemCount, status, connectionLabel });
  return node;
}

function toTriggerNode(flow: FlowDocument): CanvasNode {
  const position = triggerPosition(flow);
  const known = mappedTriggers.get(flow.trigger);
  if (known && known.position.x === position.x && known.position.y === position.y) return known;
  const node: CanvasNode = {
    id: TRIGGER_NODE_ID,
    type: 'trigger',
    position,
    deletable: false,
    data: { kind: flow.trigger.kind, inputs: flow.trigger.inputs.map((f) => f.name) },
  };
  mappedTriggers.set(flow.trigger, node);
  return node;
}

export function toCanvasNodes(flow: FlowDocument, state: CanvasState): CanvasNode[] {
  const cards = flow.nodes.map((card) =>
    toCardNode(
      card,
      state.problemsByCard.get(card.id)?.length ?? 0,
      state.statuses?.[card.id],
      connectionLabelOf(card, state.connectionName),
    ),
  );
  return [toTriggerNode(flow), ...cards];
}

const mappedEdges = new WeakMap<FlowDocument['edges'][number], CanvasEdge>();

/** Canvas edges, one object per flow edge object (see `mappedCards`). */
export function toCanvasEdges(flow: FlowDocument): CanvasEdge[] {
  return flow.edges.map((edge) => {
    const known = mappedEdges.get(edge);
    if (known) return known;
    const mapped: CanvasEdge = {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: edge.sourceHandle,
      ...(edge.sourceHandle !== 'next' ? { label: edge.sourceHandle } : {}),
      ...(edge.sourceHandle === 'error' ? { style: { stroke: '#d03050' } } : {}),
    };
    mappedEdges.set(edge, mapped);
    return mapped;
  });
}

/** The values a card may bind to: the trigger's inputs, then the outputs of cards that run before it. */
export function upstreamValues(flow: FlowDocument, cardId: string): UpstreamValue[] {
  const parents = new Map<string, string[]>();
  for (const edge of flow.edges) parents.set(edge.target, [...(parents.get(edge.target) ?? []), edge.source]);
  const ancestors: string[] = [];
  const seen = new Set<string>([cardId]);
  const queue = [...(parents.get(cardId) ?? [])];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    if (id !== TRIGGER_NODE_ID) ancestors.push(id);
    queue.push(...(parents.get(id) ?? []));
  }
  const values: UpstreamValue[] = [];
  if (seen.has(TRIGGER_NODE_ID)) {
    for (const field of flow.trigger.inputs)
      values.push({ node: TRIGGER_NODE_ID, nodeTitle: 'Trigger', output: field.name, type: field.type });
    if (flow.trigger.kind === 'helper') {
      for (const name of ['item', 'index']) {
        if (!flow.trigger.inputs.some((f) => f.name === name))
          values.push({ node: TRIGGER_NODE_ID, nodeTitle: 'Trigger', output: name, type: 'any' });
      }
    }
  }
  // Nearest cards first: the value an admin wants is usually from the card just before.
  for (const id of ancestors) {
    const card = flow.nodes.find((n) => n.id === id);
    const descriptor = card && findDescriptor(card.type);
    if (!card || !descriptor) continue;
    for (const output of descriptor.outputs) {
      values.push({ node: id, nodeTitle: card.title ?? descriptor.title, output: output.name, type: output.type });
    }
  }
  return values;
}
