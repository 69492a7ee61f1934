/** Byte order mark: without it Excel reads UTF-8 as the local code page and mangles accents. */
const UTF8_BOM = '\uFEFF';

/**
 * Turns rows into CSV text (RFC 4180): a header row from the keys in first-seen order, CRLF line ends,
 * fields quoted when they hold a comma, quote or line break. Starts with a BOM for Excel.
 */
export function rowsToCsv(rows: Record<string, unknown>[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const lines = [
    columns.map(quoteField),
    ...rows.map((row) => columns.map((column) => quoteField(cellText(row[column])))),
  ];
  return UTF8_BOM + lines.map((fields) => fields.join(',')).join('\r\n') + '\r\n';
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | boolean | bigint);
}

function quoteField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
