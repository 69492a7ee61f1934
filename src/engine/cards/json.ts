import type { CardImplementation } from './types.js';

export const jsonImplementations: readonly CardImplementation[] = [];
