import type { CardImplementation } from './types.js';

export const objectImplementations: readonly CardImplementation[] = [];
