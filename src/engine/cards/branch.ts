import type { CardImplementation } from './types.js';

export const branchImplementations: readonly CardImplementation[] = [];
