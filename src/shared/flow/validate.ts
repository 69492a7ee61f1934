import type { ValidationProblem } from '../api/contract.js';
import { nodeHandles } from '../cards/descriptor.js';
import { ControlGraph } from './control-graph.js';
import { parseFlowDocument } from './validate-schema.js';
import { checkConnection } from './validate-connections.js';
import { checkHelperFlow } from './validate-helpers.js';
import { checkCardInputs } from './validate-inputs.js';
import { TRIGGER_NODE_ID, type FlowDocument } from './schema.js';
import { cardLabel, ProblemList, quoteList, type IndexedCard, type ValidationContext } from './validation-context.js';

export type { ValidationContext } from './validation-context.js';

/** Ids that would collide with the trigger or with JavaScript's object machinery when cards are looked up by id. */
const RESERVED_IDS: ReadonlySet<string> = new Set([TRIGGER_NODE_ID, '__proto__', 'constructor', 'prototype']);

function indexCards(flow: FlowDocument, context: ValidationContext, problems: ProblemList): Map<string, IndexedCard> {
  const cards = new Map<string, IndexedCard>();
  flow.nodes.forEach((node, index) => {
    const descriptor = context.findDescriptor(node.type);
    const card: IndexedCard = { node, index, descriptor };
    if (!descriptor) {
      problems.add(
        'UNKNOWN_CARD_TYPE',
        node.id,
        ['nodes', index, 'type'],
        `${cardLabel(card)} has the card type \`${node.type}\`, which this version of Flowstead does not know. Replace it with a card from the palette, or remove it.`,
      );
    }
    if (RESERVED_IDS.has(node.id)) {
      const why = node.id === TRIGGER_NODE_ID ? 'formulas use `trigger` for the trigger inputs' : 'it is reserved';
      problems.add(
        'RESERVED_ID',
        node.id,
        ['nodes', index, 'id'],
        `${cardLabel(card)}: the id \`${node.id}\` cannot name a card because ${why}. Rename the card.`,
      );
    }
    const earlier = cards.get(node.id);
    if (earlier) {
      problems.add(
        'DUPLICATE_NODE',
        node.id,
        ['nodes', index, 'id'],
        `${cardLabel(card)} has the same id as card ${earlier.index + 1} of the flow. Card ids must be unique; rename one of them.`,
      );
      return;
    }
    cards.set(node.id, card);
  });
  return cards;
}

function checkEdges(
  flow: FlowDocument,
  cards: ReadonlyMap<string, IndexedCard>,
  graph: ControlGraph,
  problems: ProblemList,
): void {
  const edgeIds = new Set<string>();
  const usedHandles = new Map<string, string>();
  flow.edges.forEach((edge, index) => {
    const path = ['edges', index];
    const source = edge.source === TRIGGER_NODE_ID ? undefined : cards.get(edge.source);
    const target = cards.get(edge.target);
    const from =
      edge.source === TRIGGER_NODE_ID ? 'the trigger' : source ? cardLabel(source) : `card \`${edge.source}\``;
    const owner = edge.source === TRIGGER_NODE_ID || source ? edge.source : '';

    if (edgeIds.has(edge.id)) {
      problems.add(
        'DUPLICATE_EDGE',
        owner,
        [...path, 'id'],
        `The connection id \`${edge.id}\` is used twice. Delete one of the connections and draw it again.`,
      );
    }
    edgeIds.add(edge.id);

    if (edge.source !== TRIGGER_NODE_ID && !source) {
      problems.add(
        'DANGLING_EDGE',
        '',
        [...path, 'source'],
        `A connection starts at card \`${edge.source}\`, which is not in this flow. Delete the connection.`,
      );
    }
    if (!target) {
      const why =
        edge.target === TRIGGER_NODE_ID
          ? 'the trigger, which only starts the flow'
          : `card \`${edge.target}\`, which is not in this flow`;
      problems.add(
        'DANGLING_EDGE',
        owner,
        [...path, 'target'],
        `A connection from ${from} leads to ${why}. Delete the connection or connect it to a card.`,
      );
    }

    const handles =
      edge.source === TRIGGER_NODE_ID
        ? ['next']
        : source?.descriptor
          ? nodeHandles(source.descriptor, source.node)
          : undefined;
    if (handles && !handles.includes(edge.sourceHandle)) {
      const offered =
        handles.length === 0
          ? `${from} ends the flow and has no outgoing connections`
          : `its outputs are ${quoteList(handles)}`;
      problems.add(
        'UNKNOWN_HANDLE',
        owner,
        [...path, 'sourceHandle'],
        `A connection leaves ${from} from \`${edge.sourceHandle}\`, which the card does not have; ${offered}. Delete the connection or draw it from another output.`,
      );
    }

    const handleKey = JSON.stringify([edge.source, edge.sourceHandle]);
    const sibling = usedHandles.get(handleKey);
    if (sibling !== undefined) {
      problems.add(
        'DUPLICATE_EDGE',
        owner,
        path,
        `${from} has two connections from \`${edge.sourceHandle}\` (to \`${sibling}\` and \`${edge.target}\`). An output leads to one card only; keep one connection, or add a branch card to choose.`,
      );
    } else {
      usedHandles.set(handleKey, edge.target);
    }

    if ((edge.source === TRIGGER_NODE_ID || source) && target) graph.connect(edge.source, edge.target);
  });
}

function checkShape(
  flow: FlowDocument,
  cards: ReadonlyMap<string, IndexedCard>,
  graph: ControlGraph,
  problems: ProblemList,
): void {
  if (cards.size === 0) return;
  if (!graph.hasStart()) {
    problems.add(
      'NO_START',
      '',
      ['edges'],
      'Nothing starts this flow: connect the trigger to the first card that should run.',
    );
  } else {
    const reachable = graph.reachableFromTrigger();
    for (const card of cards.values()) {
      if (reachable.has(card.node.id)) continue;
      problems.add(
        'UNREACHABLE',
        card.node.id,
        ['nodes', card.index],
        `${cardLabel(card)} never runs: no connection leads to it from the trigger. Connect it after another card, or remove it.`,
      );
    }
  }
  const position = (id: string | undefined) => (id === undefined ? 0 : (cards.get(id)?.index ?? 0));
  const loops = graph.cycles().sort((a, b) => position(a[0]) - position(b[0]));
  for (const loop of loops) {
    const [first] = loop;
    const card = first === undefined ? undefined : cards.get(first);
    if (!card) continue;
    const route = [...loop, first].map((id) => `\`${id}\``).join(' → ');
    problems.add(
      'CYCLE',
      card.node.id,
      ['nodes', card.index],
      `The cards ${route} form a loop. Remove one of these connections; to repeat work, use a For Each card with a helper flow.`,
    );
  }
}

/**
 * Checks a flow and reports every problem at once (never just the first), each with the card,
 * the field path in the document and a message saying what to fix. Never throws.
 */
export function validateFlow(flow: FlowDocument, context: ValidationContext): ValidationProblem[] {
  const problems = new ProblemList();
  const cards = indexCards(flow, context, problems);
  const graph = new ControlGraph([...cards.keys()]);
  checkEdges(flow, cards, graph, problems);
  checkShape(flow, cards, graph, problems);
  for (const card of cards.values()) {
    checkCardInputs({ flow, cards, graph, problems }, card);
    checkHelperFlow(card, context, problems);
    checkConnection(card, context, problems);
  }
  return problems.problems;
}

/**
 * Parses an untrusted document (an import, a file, an API payload) and validates it:
 * schema mistakes come back as SCHEMA problems instead of exceptions.
 */
export function parseAndValidateFlow(
  raw: unknown,
  context: ValidationContext,
): { flow?: FlowDocument; problems: ValidationProblem[] } {
  const parsed = parseFlowDocument(raw);
  if (!parsed.flow) return { problems: parsed.problems };
  try {
    return { flow: parsed.flow, problems: validateFlow(parsed.flow, context) };
  } catch (error) {
    // validateFlow is written not to throw; if it ever does, the admin still gets an answer.
    const message = error instanceof Error ? error.message : String(error);
    return {
      flow: parsed.flow,
      problems: [
        { code: 'INTERNAL', node: '', path: [], message: `Flowstead could not finish checking this flow: ${message}` },
      ],
    };
  }
}
