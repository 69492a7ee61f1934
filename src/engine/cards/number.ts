import type { CardImplementation } from './types.js';

export const numberImplementations: readonly CardImplementation[] = [];
