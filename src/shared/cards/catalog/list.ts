import type { CardDescriptor } from '../descriptor.js';

export const listCards: readonly CardDescriptor[] = [];
