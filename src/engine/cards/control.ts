import type { CardImplementation } from './types.js';

export const controlImplementations: readonly CardImplementation[] = [];
