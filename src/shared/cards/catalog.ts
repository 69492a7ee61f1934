import type { CardDescriptor } from './descriptor.js';
import { textCards } from './catalog/text.js';
import { listCards } from './catalog/list.js';
import { objectCards } from './catalog/object.js';
import { branchCards } from './catalog/branch.js';
import { controlCards } from './catalog/control.js';
import { dateCards } from './catalog/date.js';
import { numberCards } from './catalog/number.js';
import { booleanCards } from './catalog/boolean.js';
import { jsonCards } from './catalog/json.js';
import { tableCards } from './catalog/table.js';
import { identityCards } from './catalog/identity.js';
import { BUILT_IN_CONNECTORS } from '../connectors/builtin/index.js';
import { connectorCardDescriptors } from '../connectors/cards.js';
import type { ConnectorDefinition } from '../connectors/definition.js';

/** Every built-in card type, in palette order. */
export const CARD_CATALOG: readonly CardDescriptor[] = [
  ...textCards,
  ...listCards,
  ...objectCards,
  ...branchCards,
  ...controlCards,
  ...dateCards,
  ...numberCards,
  ...booleanCards,
  ...jsonCards,
  ...tableCards,
  ...identityCards,
  ...BUILT_IN_CONNECTORS.flatMap(connectorCardDescriptors),
];

const byType = new Map(CARD_CATALOG.map((d) => [d.type, d]));
/** Cards of the custom connectors an admin defined; replaced whenever that list changes. */
let customByType = new Map<string, CardDescriptor>();
let customCards: readonly CardDescriptor[] = [];

export function findDescriptor(type: string): CardDescriptor | undefined {
  return byType.get(type) ?? customByType.get(type);
}

/** Built-in cards followed by the custom connectors' cards. */
export function allCardDescriptors(): readonly CardDescriptor[] {
  return customCards.length === 0 ? CARD_CATALOG : [...CARD_CATALOG, ...customCards];
}

/**
 * Makes custom connectors' actions known as cards (engine: when loaded from the database;
 * designer: when fetched over the API). Built-in ids cannot be taken over.
 */
export function setCustomConnectors(definitions: readonly ConnectorDefinition[]): void {
  customCards = definitions.filter((d) => !BUILT_IN_CONNECTOR_IDS.has(d.id)).flatMap(connectorCardDescriptors);
  customByType = new Map(customCards.map((d) => [d.type, d]));
}

export const BUILT_IN_CONNECTOR_IDS: ReadonlySet<string> = new Set(BUILT_IN_CONNECTORS.map((c) => c.id));
