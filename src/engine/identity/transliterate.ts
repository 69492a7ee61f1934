import transliterate from '@sindresorhus/transliterate';

/**
 * Letters that carry no combining mark to strip, so NFD leaves them alone. Mapped by hand before
 * anything else so "Þórðarson" becomes "Thordarson" (not the library's "THordarson"). Typographic
 * apostrophes become "'" so O’Brien and O'Brien are the same name downstream.
 */
const LETTERS_WITHOUT_DECOMPOSITION: ReadonlyMap<string, string> = new Map([
  ['ß', 'ss'],
  ['ẞ', 'SS'],
  ['æ', 'ae'],
  ['Æ', 'AE'],
  ['ø', 'o'],
  ['Ø', 'O'],
  ['ł', 'l'],
  ['Ł', 'L'],
  ['đ', 'd'],
  ['Đ', 'D'],
  ['þ', 'th'],
  ['Þ', 'Th'],
  ['ð', 'd'],
  ['Ð', 'D'],
  ['œ', 'oe'],
  ['Œ', 'OE'],
  ['ı', 'i'],
  ['ħ', 'h'],
  ['Ħ', 'H'],
  ['ŧ', 't'],
  ['Ŧ', 'T'],
  ['ŋ', 'ng'],
  ['Ŋ', 'NG'],
  ['ĸ', 'k'],
  ['’', "'"],
  ['‘', "'"],
  ['ʼ', "'"],
  ['ʻ', "'"],
  ['´', "'"],
  ['`', "'"],
]);

const COMBINING_MARK = /^\p{M}$/u;
const ASCII_LETTER = /^[A-Za-z]$/;

/**
 * What one non-ASCII character becomes: its ASCII spelling, or `undefined` when it belongs to a
 * script the library must handle with its neighbours (Cyrillic, Greek, Arabic …).
 */
const characterCache = new Map<string, string | undefined>();

function asciiForCharacter(char: string): string | undefined {
  if (characterCache.has(char)) return characterCache.get(char);
  const result = computeAsciiForCharacter(char);
  characterCache.set(char, result);
  return result;
}

function computeAsciiForCharacter(char: string): string | undefined {
  const mapped = LETTERS_WITHOUT_DECOMPOSITION.get(char);
  if (mapped !== undefined) return mapped;
  if (COMBINING_MARK.test(char)) return '';
  // NFKD (a superset of NFD) also unfolds ligatures (ﬁ) and full-width letters pasted from Asian keyboards.
  const decomposed = char.normalize('NFKD');
  const base = decomposed[0] ?? '';
  if (base.charCodeAt(0) < 0x80 && (ASCII_LETTER.test(base) || decomposed.length > 1 || base !== char)) {
    // A Latin letter with marks (é, ñ, ů): keep the ASCII part, drop the marks. Never "ü" → "ue".
    let ascii = '';
    for (const part of decomposed) {
      if (part.charCodeAt(0) < 0x80) ascii += part;
      else if (!COMBINING_MARK.test(part)) {
        const inner = LETTERS_WITHOUT_DECOMPOSITION.get(part);
        if (inner !== undefined) ascii += inner;
      }
    }
    return ascii;
  }
  // Cyrillic "й" must stay whole: stripping its breve first would turn "Сергей" into "Sergei".
  return undefined;
}

/** Whole-name cache: staff lists repeat first names and surnames a lot. Bounded so a huge import cannot grow it forever. */
const nameCache = new Map<string, string>();
const NAME_CACHE_LIMIT = 200_000;

/**
 * Turns a name in any script into printable ASCII, for building usernames and mail addresses.
 * Latin accents are removed (José Müller → Jose Muller), letters without a decomposition are spelled
 * out (ß → ss, ø → o), other scripts go through @sindresorhus/transliterate (Щукин → Schukin).
 * Characters nothing can spell (Chinese, Japanese and Korean ideographs and syllables) are dropped,
 * so the result can be empty: callers decide what an empty name means.
 */
export function toAsciiName(text: string): string {
  if (isPrintableAscii(text)) return text;
  const cached = nameCache.get(text);
  if (cached !== undefined) return cached;
  const result = convertToAscii(text);
  if (nameCache.size >= NAME_CACHE_LIMIT) nameCache.clear();
  nameCache.set(text, result);
  return result;
}

function isPrintableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

function convertToAscii(text: string): string {
  let out = '';
  // Characters for the library are passed as whole runs: it spells some pairs together (Cyrillic "ый", "тс").
  let run = '';
  // NFC first so a decomposed "é" (e + U+0301) and a composed one behave the same.
  for (const char of text.normalize('NFC')) {
    const code = char.charCodeAt(0);
    const ascii = code < 0x80 ? (code < 0x20 || code === 0x7f ? ' ' : char) : asciiForCharacter(char);
    if (ascii === undefined) {
      run += char;
      continue;
    }
    if (run !== '') {
      out += transliterateRun(run);
      run = '';
    }
    out += ascii;
  }
  if (run !== '') out += transliterateRun(run);
  return isPrintableAscii(out) ? out : dropNonPrintable(out);
}

/** Runs repeat across names ("Щукин" in "Борис Щукин" and "Анна Щукина" differ, "Борис" recurs): cache them too. */
const runCache = new Map<string, string>();

function transliterateRun(run: string): string {
  const cached = runCache.get(run);
  if (cached !== undefined) return cached;
  const result = transliterate(run);
  if (runCache.size >= NAME_CACHE_LIMIT) runCache.clear();
  runCache.set(run, result);
  return result;
}

function dropNonPrintable(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e) out += text[i];
    else if (code < 0x20) out += ' ';
  }
  return out;
}
