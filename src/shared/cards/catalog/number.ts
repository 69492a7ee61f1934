import type { CardDescriptor } from '../descriptor.js';

export const numberCards: readonly CardDescriptor[] = [];
