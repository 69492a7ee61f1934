import dagre from '@dagrejs/dagre';
import { TRIGGER_NODE_ID, type FlowDocument } from '../../../shared/flow/schema.js';

const CARD_WIDTH = 220;
const CARD_HEIGHT = 90;

/** Positions for every card, left to right in run order, computed by dagre's layered layout. */
export function autoLayout(flow: FlowDocument): Record<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  graph.setNode(TRIGGER_NODE_ID, { width: 170, height: 60 });
  for (const node of flow.nodes) graph.setNode(node.id, { width: CARD_WIDTH, height: CARD_HEIGHT });
  for (const edge of flow.edges) {
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) graph.setEdge(edge.source, edge.target);
  }
  dagre.layout(graph);
  const positions: Record<string, { x: number; y: number }> = {};
  for (const id of graph.nodes()) {
    const placed = graph.node(id);
    // dagre gives centres; the canvas positions cards by their top-left corner.
    positions[id] = { x: Math.round(placed.x - placed.width / 2), y: Math.round(placed.y - placed.height / 2) };
  }
  return positions;
}
