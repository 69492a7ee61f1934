import type { CardImplementation } from './types.js';

export const booleanImplementations: readonly CardImplementation[] = [];
