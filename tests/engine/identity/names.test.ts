import { describe, expect, it } from 'vitest';
import { normalizePersonName, splitFullName } from '../../../src/engine/identity/names.js';
import { caught } from '../../support/caught.js';

describe('normalizePersonName', () => {
  it.each([
    ['  john    SMITH ', 'John Smith'],
    ['JEAN-LUC picard', 'Jean-Luc Picard'],
    ["sean o'brien", "Sean O'Brien"],
    ['SEAN O’BRIEN', "Sean O'Brien"],
    ['mcdonald', 'McDonald'],
    ['RONALD MCDONALD', 'Ronald McDonald'],
    ['MacDonald', 'MacDonald'],
    ['macdonald', 'Macdonald'],
    ['mack smith', 'Mack Smith'],
    ['Macy Gray', 'Macy Gray'],
    ['DeShawn Jones', 'DeShawn Jones'],
    ['ludwig VAN beethoven', 'Ludwig van Beethoven'],
    ['anna van der berg', 'Anna van der Berg'],
    ['van der berg', 'Van der Berg'],
    ['juan de la cruz', 'Juan de la Cruz'],
    ['de la cruz', 'De la Cruz'],
    ['otto von bismarck', 'Otto von Bismarck'],
    ['leonardo da vinci', 'Leonardo da Vinci'],
    ['daniel di angelo', 'Daniel di Angelo'],
    ['marie le pen', 'Marie le Pen'],
    ['john le', 'John Le'],
    ['pierre du pont', 'Pierre du Pont'],
    ["valéry d'estaing", "Valéry d'Estaing"],
    ["d'arcy", "D'Arcy"],
    ['martin luther king jr', 'Martin Luther King Jr'],
    ['henry ford iii', 'Henry Ford III'],
    ['JOSÉ MÜLLER', 'José Müller'],
  ])('%j → %j', (input, expected) => {
    expect(normalizePersonName(input)).toBe(expected);
  });

  it('composes decomposed accents (NFC) so equal names compare equal', () => {
    expect(normalizePersonName('jose\u0301')).toBe('Jos\u00e9');
  });

  it('rejects an empty name with NAME_EMPTY', () => {
    expect(caught(() => normalizePersonName('   ')).code).toBe('NAME_EMPTY');
    expect(caught(() => normalizePersonName('')).message).toContain('empty');
  });
});

describe('splitFullName', () => {
  it.each([
    ['John Smith', { first: 'John', middle: '', last: 'Smith' }],
    ['John Paul Smith', { first: 'John', middle: 'Paul', last: 'Smith' }],
    ['  John   Paul   George  Smith ', { first: 'John', middle: 'Paul George', last: 'Smith' }],
    ['Smith, John Paul', { first: 'John', middle: 'Paul', last: 'Smith' }],
    ['Smith,John', { first: 'John', middle: '', last: 'Smith' }],
    ['van der Berg, Anna', { first: 'Anna', middle: '', last: 'van der Berg' }],
    ['Ludwig van Beethoven', { first: 'Ludwig', middle: '', last: 'van Beethoven' }],
    ['Anna Maria van der Berg', { first: 'Anna', middle: 'Maria', last: 'van der Berg' }],
    ['Juan Carlos de la Cruz', { first: 'Juan', middle: 'Carlos', last: 'de la Cruz' }],
    ['Martin Luther King Jr.', { first: 'Martin', middle: 'Luther', last: 'King Jr.' }],
    ['King, Martin Luther, Jr.', { first: 'Martin', middle: 'Luther', last: 'King Jr.' }],
    ['Cher', { first: 'Cher', middle: '', last: '' }],
    ['Smith,', { first: 'Smith', middle: '', last: '' }],
  ])('%j', (input, expected) => {
    expect(splitFullName(input)).toEqual(expected);
  });

  it('keeps the casing it was given', () => {
    expect(splitFullName('JOHN smith')).toEqual({ first: 'JOHN', middle: '', last: 'smith' });
  });

  it('rejects an empty name with NAME_EMPTY', () => {
    expect(caught(() => splitFullName(' ')).code).toBe('NAME_EMPTY');
    expect(caught(() => splitFullName(' , ')).code).toBe('NAME_EMPTY');
  });
});
