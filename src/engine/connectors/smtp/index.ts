export { parseAddress } from './addresses.js';
export { rowsToCsv } from './csv.js';
export * from './send-mail.js';
export * from './settings.js';
