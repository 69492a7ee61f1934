import type { CardImplementation } from './types.js';

export const dateImplementations: readonly CardImplementation[] = [];
