import type { CardImplementation } from './types.js';

export const tableImplementations: readonly CardImplementation[] = [];
