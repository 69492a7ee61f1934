import type { CardDescriptor } from '../descriptor.js';

export const branchCards: readonly CardDescriptor[] = [];
