import type { CardDescriptor } from '../descriptor.js';

export const booleanCards: readonly CardDescriptor[] = [];
