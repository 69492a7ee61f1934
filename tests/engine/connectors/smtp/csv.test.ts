import { describe, expect, it } from 'vitest';
import { rowsToCsv } from '../../../../src/engine/connectors/smtp/csv.js';

describe('rowsToCsv', () => {
  it('writes a BOM, a header from the keys in first-seen order and CRLF lines', () => {
    expect(
      rowsToCsv([
        { a: 1, b: 'x' },
        { b: 'y', c: true },
      ]),
    ).toBe('\uFEFFa,b,c\r\n1,x,\r\n,y,true\r\n');
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and keeps accents', () => {
    expect(rowsToCsv([{ name: 'Müller, "Zoë"', note: 'line1\nline2' }])).toBe(
      '\uFEFFname,note\r\n"Müller, ""Zoë""","line1\nline2"\r\n',
    );
  });

  it('writes empty cells for null and undefined, ISO text for dates and JSON for objects', () => {
    const csv = rowsToCsv([{ a: null, b: undefined, c: new Date('2025-01-06T00:00:00Z'), d: { x: 1 } }]);
    expect(csv).toBe('\uFEFFa,b,c,d\r\n,,2025-01-06T00:00:00.000Z,"{""x"":1}"\r\n');
  });

  it('writes just the BOM and a blank header for no rows', () => {
    expect(rowsToCsv([])).toBe('\uFEFF\r\n');
  });
});
