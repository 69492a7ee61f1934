import { findDescriptor } from '../../../shared/cards/catalog.js';
import type { Binding, CardNode, CardSettings, Edge, FlowDocument } from '../../../shared/flow/schema.js';

/**
 * Edits of a flow document. Each is a pure function from one document to the next (the input is
 * never changed), with a label for the undo menu; the editor store records them for undo / redo.
 */
export interface Edit {
  label: string;
  apply(flow: FlowDocument): FlowDocument;
}

type Position = { x: number; y: number };

/** A fresh identifier-safe id from the card type: `compose1`, `compose2`, … */
export function newCardId(flow: FlowDocument, type: string, taken: ReadonlySet<string> = new Set()): string {
  const base = (type.split('.').pop() ?? 'card').replace(/[^A-Za-z0-9_]/g, '') || 'card';
  const used = new Set([...flow.nodes.map((n) => n.id), ...taken]);
  for (let i = 1; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

function edgeId(source: string, handle: string, target: string): string {
  return `${source}.${handle}->${target}`;
}

export function addCard(type: string, position: Position, id?: string): Edit {
  return {
    label: `Add ${findDescriptor(type)?.title ?? type}`,
    apply: (flow) => {
      const card: CardNode = { id: id ?? newCardId(flow, type), type, position, inputs: {} };
      return { ...flow, nodes: [...flow.nodes, card] };
    },
  };
}

export function removeCards(ids: readonly string[]): Edit {
  const gone = new Set(ids);
  return {
    label: ids.length === 1 ? 'Delete card' : `Delete ${ids.length} cards`,
    apply: (flow) => ({
      ...flow,
      nodes: flow.nodes.filter((n) => !gone.has(n.id)),
      edges: flow.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
    }),
  };
}

export function moveCards(moves: readonly { id: string; position: Position }[]): Edit {
  const to = new Map(moves.map((m) => [m.id, m.position]));
  return {
    label: 'Move',
    apply: (flow) => ({
      ...flow,
      nodes: flow.nodes.map((n) => (to.has(n.id) ? { ...n, position: to.get(n.id)! } : n)),
    }),
  };
}

/** Connects a handle to a card; a handle leads to one card only, so an earlier edge from it is replaced. */
export function connect(source: string, sourceHandle: string, target: string): Edit {
  return {
    label: 'Connect',
    apply: (flow) => ({
      ...flow,
      edges: [
        ...flow.edges.filter((e) => !(e.source === source && e.sourceHandle === sourceHandle)),
        { id: edgeId(source, sourceHandle, target), source, sourceHandle, target },
      ],
    }),
  };
}

export function disconnect(edgeIds: readonly string[]): Edit {
  const gone = new Set(edgeIds);
  return { label: 'Disconnect', apply: (flow) => ({ ...flow, edges: flow.edges.filter((e) => !gone.has(e.id)) }) };
}

/** Drops a new card onto an edge: source → new card → target. */
export function insertOnEdge(edgeIdToSplit: string, type: string, position: Position): Edit {
  return {
    label: `Insert ${findDescriptor(type)?.title ?? type}`,
    apply: (flow) => {
      const edge = flow.edges.find((e) => e.id === edgeIdToSplit);
      const withCard = addCard(type, position).apply(flow);
      if (!edge) return withCard;
      const card = withCard.nodes[withCard.nodes.length - 1]!;
      const rest = withCard.edges.filter((e) => e.id !== edge.id);
      return {
        ...withCard,
        edges: [
          ...rest,
          {
            id: edgeId(edge.source, edge.sourceHandle, card.id),
            source: edge.source,
            sourceHandle: edge.sourceHandle,
            target: card.id,
          },
          { id: edgeId(card.id, 'next', edge.target), source: card.id, sourceHandle: 'next', target: edge.target },
        ],
      };
    },
  };
}

function updateCard(flow: FlowDocument, id: string, change: (card: CardNode) => CardNode): FlowDocument {
  return { ...flow, nodes: flow.nodes.map((n) => (n.id === id ? change(n) : n)) };
}

export function setInput(cardId: string, name: string, binding: Binding | undefined): Edit {
  return {
    label: `Change ${name}`,
    apply: (flow) =>
      updateCard(flow, cardId, (card) => {
        const inputs = { ...card.inputs };
        if (binding) inputs[name] = binding;
        else delete inputs[name];
        return { ...card, inputs };
      }),
  };
}

export function renameCard(cardId: string, title: string): Edit {
  return { label: 'Rename card', apply: (flow) => updateCard(flow, cardId, (card) => ({ ...card, title })) };
}

export function setSettings(cardId: string, settings: CardSettings): Edit {
  return { label: 'Change settings', apply: (flow) => updateCard(flow, cardId, (card) => ({ ...card, settings })) };
}

export function setPositions(positions: Record<string, Position>): Edit {
  return {
    label: 'Auto-layout',
    apply: (flow) => ({
      ...flow,
      nodes: flow.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id]! } : n)),
    }),
  };
}

/** Cards copied to the clipboard, with the edges among them; portable between flows. */
export interface Fragment {
  nodes: CardNode[];
  edges: Edge[];
}

export function copyFragment(flow: FlowDocument, ids: readonly string[]): Fragment {
  const chosen = new Set(ids);
  return structuredClone({
    nodes: flow.nodes.filter((n) => chosen.has(n.id)),
    edges: flow.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target)),
  });
}

function renameRefs(binding: Binding, ids: ReadonlyMap<string, string>): Binding {
  const swap = (text: string) => text.replace(/\b([A-Za-z_][A-Za-z0-9_]*)(?=\.)/g, (name) => ids.get(name) ?? name);
  switch (binding.kind) {
    case 'ref':
      return { ...binding, node: ids.get(binding.node) ?? binding.node };
    case 'template':
      return {
        ...binding,
        text: binding.text.replace(/\{\{([^}]*)\}\}/g, (_m, inner: string) => `{{${swap(inner)}}}`),
      };
    case 'expr':
      return { ...binding, source: swap(binding.source) };
    default:
      return binding;
  }
}

/** Pastes copied cards with fresh ids; references among them follow, others stay as they were. */
export function pasteFragment(fragment: Fragment, offset: Position = { x: 40, y: 40 }): Edit {
  return {
    label: fragment.nodes.length === 1 ? 'Paste card' : `Paste ${fragment.nodes.length} cards`,
    apply: (flow) => {
      const ids = new Map<string, string>();
      const taken = new Set<string>();
      for (const node of fragment.nodes) {
        const id = newCardId(flow, node.type, taken);
        taken.add(id);
        ids.set(node.id, id);
      }
      const nodes = fragment.nodes.map((n) => ({
        ...n,
        id: ids.get(n.id)!,
        position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
        inputs: Object.fromEntries(Object.entries(n.inputs).map(([k, b]) => [k, renameRefs(b, ids)])),
      }));
      const edges = fragment.edges.map((e) => {
        const source = ids.get(e.source)!;
        const target = ids.get(e.target)!;
        return { id: edgeId(source, e.sourceHandle, target), source, sourceHandle: e.sourceHandle, target };
      });
      return { ...flow, nodes: [...flow.nodes, ...nodes], edges: [...flow.edges, ...edges] };
    },
  };
}
