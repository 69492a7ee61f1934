import { CARD_CATALOG } from '../../shared/cards/catalog.js';
import type { CardDescriptor } from '../../shared/cards/descriptor.js';
import { connectorCardDescriptors } from '../../shared/connectors/cards.js';
import type { ConnectorDefinition } from '../../shared/connectors/definition.js';
import type { CardNode, FlowDocument } from '../../shared/flow/schema.js';

/** The kinds of input whose literal value names something a bundle must carry or the server must provide. */
export type ReferenceKind = 'flow' | 'table' | 'connection';

export interface CardReference {
  kind: ReferenceKind;
  /** The input's name on the card. */
  input: string;
  /** The id (or, for tables, the id or name) typed into the input. */
  value: string;
}

/**
 * Card types known from the built-in catalog plus the given custom connectors. Bundles use this
 * instead of the process-wide catalog, which holds whichever database's custom connectors were
 * loaded last.
 */
export function descriptorLookup(customConnectors: readonly ConnectorDefinition[]): Map<string, CardDescriptor> {
  const byType = new Map(CARD_CATALOG.map((d) => [d.type, d]));
  for (const definition of customConnectors) {
    for (const descriptor of connectorCardDescriptors(definition)) {
      if (!byType.has(descriptor.type)) byType.set(descriptor.type, descriptor);
    }
  }
  return byType;
}

/** The flows, tables and connections a card names with a fixed value; values bound at run time cannot be known. */
export function cardReferences(node: CardNode, descriptor: CardDescriptor): CardReference[] {
  const found: CardReference[] = [];
  for (const input of descriptor.inputs) {
    if (input.type !== 'flow' && input.type !== 'table' && input.type !== 'connection') continue;
    const binding = Object.prototype.hasOwnProperty.call(node.inputs, input.name) ? node.inputs[input.name] : undefined;
    const value = binding ? (binding.kind === 'literal' ? binding.value : undefined) : input.default;
    if (typeof value === 'string' && value.trim() !== '') found.push({ kind: input.type, input: input.name, value });
  }
  return found;
}

/** `Card "Deactivate user" (okta1) in flow "Leaver"`: how errors name a card. */
export function cardLabel(flow: FlowDocument, node: CardNode): string {
  const title = node.title ? `"${node.title}" (${node.id})` : `\`${node.id}\``;
  return `Card ${title} in flow "${flow.name}"`;
}
