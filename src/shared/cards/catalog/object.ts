import type { CardDescriptor } from '../descriptor.js';

export const objectCards: readonly CardDescriptor[] = [];
