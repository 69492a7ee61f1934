import { FlowsteadError } from '../../shared/errors.js';

/** Surname particles written in lower case inside a full name (Ludwig van Beethoven, Juan de la Cruz). */
const PARTICLES: ReadonlySet<string> = new Set([
  'van',
  'der',
  'den',
  'de',
  'del',
  'della',
  'la',
  'le',
  'von',
  'zu',
  'di',
  'da',
  'dos',
  'das',
  'do',
  'du',
  'des',
  'ter',
  'ten',
  'y',
]);

/** Generational suffixes that belong to the surname (Martin Luther King Jr.). */
const SUFFIXES: ReadonlySet<string> = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv']);

const WHITESPACE = /\s+/gu;
const TYPOGRAPHIC_APOSTROPHES = /[’‘ʼ]/gu;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;

export interface SplitName {
  first: string;
  middle: string;
  last: string;
}

/**
 * Tidies a name typed by a person or exported by an HR system: trims, collapses whitespace, NFC,
 * and writes it in proper case ("JEAN-LUC o'brien" → "Jean-Luc O'Brien", "ludwig VAN beethoven" →
 * "Ludwig van Beethoven"). Deliberate inner capitals are kept (MacDonald, DeShawn); "Mac" is not
 * forced on names that merely start with it (Mack, Macy). Throws NAME_EMPTY for an empty name.
 */
export function normalizePersonName(text: string): string {
  const words = tidy(text, 'name').split(' ');
  return words.map((word, index) => properCaseWord(word, index, words.length)).join(' ');
}

/**
 * Splits a full name into first, middle and last: "Smith, John Paul" and "John Paul Smith" both give
 * { first: 'John', middle: 'Paul', last: 'Smith' }; particles stay with the surname ("Ludwig van
 * Beethoven" → last "van Beethoven"); a single name is a first name with empty middle and last.
 * Casing is kept as given: run normalizePersonName first if you want it tidied.
 */
export function splitFullName(text: string): SplitName {
  const name = tidy(text, 'full name');
  const comma = name.indexOf(',');
  if (comma !== -1) {
    const last = name.slice(0, comma).trim();
    const given = name
      .slice(comma + 1)
      .replaceAll(',', ' ')
      .trim()
      .split(' ')
      .filter((w) => w !== '');
    if (last === '' || given.length === 0) return splitWords(name.replaceAll(',', ' ').trim().split(/ +/u));
    const suffixIndex = given.length > 1 && isSuffix(given[given.length - 1] ?? '') ? given.length - 1 : -1;
    const suffix = suffixIndex === -1 ? '' : ` ${given[suffixIndex]}`;
    const rest = suffixIndex === -1 ? given : given.slice(0, suffixIndex);
    return { first: rest[0] ?? '', middle: rest.slice(1).join(' '), last: last + suffix };
  }
  return splitWords(name.split(' '));
}

function splitWords(words: string[]): SplitName {
  if (words.length === 1) return { first: words[0] ?? '', middle: '', last: '' };
  let end = words.length;
  if (end >= 3 && isSuffix(words[end - 1] ?? '')) end -= 1;
  // The surname starts at the earliest particle after the first name, or is the final word.
  let lastStart = end - 1;
  for (let i = 1; i < end - 1; i++) {
    if (PARTICLES.has((words[i] ?? '').toLowerCase())) {
      lastStart = i;
      break;
    }
  }
  return {
    first: words[0] ?? '',
    middle: words.slice(1, lastStart).join(' '),
    last: words.slice(lastStart).join(' '),
  };
}

function isSuffix(word: string): boolean {
  return SUFFIXES.has(word.toLowerCase());
}

function tidy(text: string, what: string): string {
  const tidied = typeof text === 'string' ? text.normalize('NFC').replace(WHITESPACE, ' ').trim() : '';
  if (tidied === '' || tidied === ',') {
    throw new FlowsteadError('NAME_EMPTY', `The ${what} is empty; enter at least a first or last name.`);
  }
  return tidied.replace(TYPOGRAPHIC_APOSTROPHES, "'");
}

function properCaseWord(word: string, index: number, count: number): string {
  const lower = word.toLowerCase();
  const inMiddle = index > 0 && index < count - 1;
  if (inMiddle && PARTICLES.has(lower)) return lower;
  if (SUFFIXES.has(lower))
    return lower === 'ii' || lower === 'iii' || lower === 'iv' ? word.toUpperCase() : capitalise(lower);
  return word
    .split('-')
    .map((piece) => properCasePiece(piece, index > 0))
    .join('-');
}

/** One hyphen-free piece: "o'brien", "d'arcy", "mcdonald", "MacDonald", "smith". */
function properCasePiece(piece: string, afterFirstWord: boolean): string {
  if (piece === '') return piece;
  const apostrophe = piece.indexOf("'");
  if (apostrophe === 1 && piece.length > 2) {
    const prefix = piece[0] ?? '';
    const rest = properCasePiece(piece.slice(2), false);
    // "d'" and "l'" are particles: lower case after the first word (Valéry d'Estaing), capital at the start.
    const lowerPrefix = afterFirstWord && (prefix === 'd' || prefix === 'l' || prefix === 'D' || prefix === 'L');
    return `${lowerPrefix ? prefix.toLowerCase() : prefix.toUpperCase()}'${rest}`;
  }
  if (hasDeliberateInnerCapital(piece)) return capitalise(piece, false);
  const lower = piece.toLowerCase();
  if (lower.length > 3 && lower.startsWith('mc')) return `Mc${capitalise(lower.slice(2))}`;
  return capitalise(lower);
}

/** "MacDonald", "DeShawn": both cases after the first letter means someone chose the capitals. */
function hasDeliberateInnerCapital(piece: string): boolean {
  const tail = piece.slice(1);
  return UPPER.test(tail) && LOWER.test(tail);
}

function capitalise(word: string, lowerRest = true): string {
  const first = word.slice(0, 1).toUpperCase();
  return first + (lowerRest ? word.slice(1).toLowerCase() : word.slice(1));
}
