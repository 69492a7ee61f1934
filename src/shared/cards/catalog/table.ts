import type { CardDescriptor } from '../descriptor.js';

export const tableCards: readonly CardDescriptor[] = [];
