import type { CardDescriptor } from '../descriptor.js';

export const controlCards: readonly CardDescriptor[] = [];
