import { FlowsteadError } from '../../../shared/errors.js';

// Deliberately simple: catches the spreadsheet mistakes (missing @, spaces, two addresses in one
// cell) without rejecting unusual but valid addresses the server would accept.
const ADDRESS = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]+$|^[^\s@<>()[\],;:"]+@localhost$/i;
const NAMED_ADDRESS = /^(.*)<([^<>]+)>$/;

/** The bare address of `name@host` or `Display Name <name@host>`, or undefined when it is not one. */
export function parseAddress(value: string): string | undefined {
  const trimmed = value.trim();
  const named = NAMED_ADDRESS.exec(trimmed);
  const address = (named ? named[2] : trimmed)?.trim() ?? '';
  return ADDRESS.test(address) ? address : undefined;
}

/** Normalises a recipient field to a list and fails on the first bad address, naming the field. */
export function recipientList(field: 'to' | 'cc' | 'bcc', value: string | string[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  list.forEach((entry, index) => {
    if (!parseAddress(entry)) {
      throw new FlowsteadError(
        'SMTP_INVALID_ADDRESS',
        `Mail field "${field}" has an invalid address "${entry}"; use one address per entry, like name@example.org.`,
        { field, index },
      );
    }
  });
  return list;
}
