import type { CardImplementation } from './types.js';

export const textImplementations: readonly CardImplementation[] = [];
