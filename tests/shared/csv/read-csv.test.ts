import { describe, expect, it } from 'vitest';
import { readCsv, writeCsv } from '../../../src/shared/csv/read-csv.js';
import { caught } from '../../support/caught.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
function utf16le(text: string, bom = true): Uint8Array {
  const body = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    body[i * 2] = text.charCodeAt(i) & 0xff;
    body[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  return bom ? new Uint8Array([0xff, 0xfe, ...body]) : body;
}
/** Windows-1252 for the Latin-1 range: one byte per character. */
const cp1252 = (text: string) => new Uint8Array([...text].map((c) => c.charCodeAt(0)));

describe('reading CSV files', () => {
  it('reads UTF-8 with and without a BOM, UTF-16 and Windows-1252 alike', () => {
    const text = 'first,last\r\nJosé,Müller\r\nZoë,Ørsted\r\n';
    for (const [bytes, encoding] of [
      [utf8(text), 'utf-8'],
      [new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]), 'utf-8'],
      [utf16le(text), 'utf-16le'],
      [utf16le(text, false), 'utf-16le'],
      [cp1252(text), 'windows-1252'],
    ] as const) {
      const csv = readCsv(bytes);
      expect(csv.encoding, encoding).toBe(encoding);
      expect(csv.columns).toEqual(['first', 'last']);
      expect(csv.rows).toEqual([
        { first: 'José', last: 'Müller' },
        { first: 'Zoë', last: 'Ørsted' },
      ]);
    }
  });

  it('detects semicolons and tabs, and keeps quoted fields with delimiters and newlines', () => {
    const semicolon = readCsv(utf8('name;note\n"O\'Brien; Liam";"line one\nline two"\n'));
    expect(semicolon.delimiter).toBe(';');
    expect(semicolon.rows).toEqual([{ name: "O'Brien; Liam", note: 'line one\nline two' }]);
    expect(readCsv(utf8('a\tb\n1\t2\n')).rows).toEqual([{ a: '1', b: '2' }]);
  });

  it('leaves out the cells a short line does not have, and names bad headers', () => {
    expect(readCsv(utf8('first,last\nCher\n')).rows).toEqual([{ first: 'Cher' }]);
    expect(caught(() => readCsv(utf8('first,,last\n'))).message).toContain('Column 2 has no name');
    expect(caught(() => readCsv(utf8('email,Email\n'))).message).toContain('"Email" twice');
    expect(caught(() => readCsv(utf8(''))).code).toBe('CSV_EMPTY');
  });

  it('writes results back with a BOM and quoting', () => {
    const text = writeCsv(
      ['row', 'status', 'error'],
      [{ row: 1, status: 'error', error: 'NAME_EMPTY: "first" is empty, fix it' }],
    );
    expect(text).toBe('\uFEFFrow,status,error\r\n1,error,"NAME_EMPTY: ""first"" is empty, fix it"');
    expect(readCsv(utf8(text)).rows[0]?.['error']).toBe('NAME_EMPTY: "first" is empty, fix it');
  });
});
