import type { CardDescriptor } from '../descriptor.js';

export const jsonCards: readonly CardDescriptor[] = [];
