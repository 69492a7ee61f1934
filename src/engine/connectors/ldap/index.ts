export * from './directory-client.js';
export type { DirectoryEntry } from './entries.js';
export { escapeDnValue, escapeFilterValue } from './escape.js';
export * from './settings.js';
