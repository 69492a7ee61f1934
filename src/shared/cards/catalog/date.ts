import type { CardDescriptor } from '../descriptor.js';

export const dateCards: readonly CardDescriptor[] = [];
