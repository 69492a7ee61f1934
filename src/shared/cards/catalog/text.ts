import type { CardDescriptor } from '../descriptor.js';

export const textCards: readonly CardDescriptor[] = [];
