import type { CardImplementation } from './types.js';
import { textImplementations } from './text.js';
import { listImplementations } from './list.js';
import { objectImplementations } from './object.js';
import { branchImplementations } from './branch.js';
import { controlImplementations } from './control.js';
import { dateImplementations } from './date.js';
import { numberImplementations } from './number.js';
import { booleanImplementations } from './boolean.js';
import { jsonImplementations } from './json.js';
import { tableImplementations } from './table.js';
import { identityImplementations } from './identity.js';

/** Card type → implementation, for every built-in card. */
export const CARD_IMPLEMENTATIONS: ReadonlyMap<string, CardImplementation> = new Map(
  [
    ...textImplementations,
    ...listImplementations,
    ...objectImplementations,
    ...branchImplementations,
    ...controlImplementations,
    ...dateImplementations,
    ...numberImplementations,
    ...booleanImplementations,
    ...jsonImplementations,
    ...tableImplementations,
    ...identityImplementations,
  ].map((impl) => [impl.descriptor.type, impl]),
);
