import type { CardImplementation } from './types.js';

export const listImplementations: readonly CardImplementation[] = [];
