import Papa from 'papaparse';
import { FlowsteadError } from '../errors.js';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Decodes a CSV file's bytes: a BOM decides (UTF-8, UTF-16 LE / BE); otherwise UTF-8 when the
 * bytes are valid UTF-8, else Windows-1252, which is what Excel writes for "CSV" on Western
 * Windows machines. TextDecoder does all of them in browsers and in Node.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  // UTF-16 without a BOM: every other byte of ASCII text is zero.
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) {
    return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

export interface CsvTable {
  columns: string[];
  rows: Record<string, string>[];
  delimiter: string;
  encoding: CsvEncoding;
}

/**
 * Reads a CSV file into rows keyed by header: comma, semicolon or tab (detected), quoted fields
 * with newlines. A header that is empty or repeated is refused, naming the column to fix.
 */
export function readCsv(bytes: Uint8Array): CsvTable {
  const { text, encoding } = decodeCsvBytes(bytes);
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t', '|'] });
  const [header, ...body] = parsed.data;
  if (!header || header.length === 0) {
    throw new FlowsteadError('CSV_EMPTY', 'The file has no header row: the first line must name the columns.');
  }
  const columns = header.map((c) => c.trim());
  const seen = new Set<string>();
  columns.forEach((column, index) => {
    if (column === '') {
      throw new FlowsteadError('CSV_HEADER', `Column ${index + 1} has no name in the header row: give it one.`, {
        column: index + 1,
      });
    }
    if (seen.has(column.toLowerCase())) {
      throw new FlowsteadError('CSV_HEADER', `The header names the column "${column}" twice: rename one of them.`, {
        column,
      });
    }
    seen.add(column.toLowerCase());
  });
  const rows = body.map((cells) => {
    const row: Record<string, string> = {};
    columns.forEach((column, index) => {
      // A short line leaves the column out, so "missing column" is that row's error, not an empty value.
      if (index < cells.length) row[column] = cells[index]!;
    });
    return row;
  });
  return { columns, rows, delimiter: parsed.meta.delimiter, encoding };
}

/** Results back to CSV (UTF-8 with a BOM so Excel shows accents), columns in the given order. */
export function writeCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (value: unknown) =>
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return (
    '\uFEFF' +
    Papa.unparse({ fields: [...columns], data: rows.map((r) => columns.map((c) => cell(r[c]))) }, { newline: '\r\n' })
  );
}
