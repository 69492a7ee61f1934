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
];

const byType = new Map(CARD_CATALOG.map((d) => [d.type, d]));

export function findDescriptor(type: string): CardDescriptor | undefined {
  return byType.get(type);
}
