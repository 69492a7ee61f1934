import { textCards } from '../../shared/cards/catalog/text.js';
import { FlowsteadError } from '../../shared/errors.js';
import { extraValues, implement } from './implement.js';

const MAX_PATTERN = 1000;
/** i, m, s change matching; g and y are the card's business and u is always on, so they are accepted and ignored. */
const KNOWN_FLAGS = /^[imsguyv]*$/;

function invalidPattern(pattern: string, flags: string, error: unknown): FlowsteadError {
  // V8 repeats the pattern and the flags we added ("Invalid regular expression: /(/gu: …"); keep only the reason.
  const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  let hint = 'Fix the pattern.';
  try {
    new RegExp(pattern, flags.replace(/[uv]/g, ''));
    hint =
      'Patterns are read in Unicode mode: put a backslash only before special characters (write @, not \\@) and write a literal { as \\{.';
  } catch {
    // Invalid in every mode: the reason says enough.
  }
  return new FlowsteadError(
    'TEXT_REGEX_INVALID',
    `The pattern \`${pattern}\` is not a valid regular expression: ${reason}. ${hint}`,
    { pattern },
  );
}

function regex(pattern: string, flags: string, global: boolean): RegExp {
  if (pattern.length > MAX_PATTERN) {
    throw new FlowsteadError(
      'TEXT_REGEX_INVALID',
      `The pattern \`${pattern.slice(0, 40)}…\` is ${pattern.length} characters long; patterns are limited to ${MAX_PATTERN}. Use a shorter pattern.`,
      { length: pattern.length, limit: MAX_PATTERN },
    );
  }
  if (!KNOWN_FLAGS.test(flags)) {
    throw new FlowsteadError(
      'TEXT_REGEX_INVALID',
      `The flags \`${flags}\` of pattern \`${pattern}\` are not known. Use i (ignore case), m (^ and $ at every line) or s (. matches line breaks).`,
      { pattern, flags },
    );
  }
  const letters = [...new Set(flags.replace(/[gyu]/g, ''))].join('');
  // u makes . and [^x] match an emoji as one character, like substring and length do, and enables \p{L}.
  const clean = letters + (global ? 'g' : '') + (letters.includes('v') ? '' : 'u');
  try {
    return new RegExp(pattern, clean);
  } catch (error) {
    throw invalidPattern(pattern, clean, error);
  }
}

/** Code-point aware slice with negative positions counted from the end. */
function slice(text: string, start: number, end: number | undefined): string {
  const chars = Array.from(text);
  return chars.slice(Math.trunc(start), end === undefined ? undefined : Math.trunc(end)).join('');
}

function base64(text: string, urlSafe: boolean): string {
  return Buffer.from(text, 'utf8').toString(urlSafe ? 'base64url' : 'base64');
}

/** Refuses bytes that are not UTF-8 instead of turning them into � silently. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

function fromBase64(text: string, urlSafe: boolean): string {
  const cleaned = text.replace(/\s+/g, '');
  const valid = urlSafe ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  if (!valid.test(cleaned) || cleaned.replace(/=+$/, '').length % 4 === 1) {
    throw new FlowsteadError(
      'TEXT_BASE64_INVALID',
      `The text is not valid ${urlSafe ? 'URL-safe ' : ''}Base64. Check that it was copied completely${urlSafe ? '' : ', or turn on urlSafe if it uses - and _'}.`,
    );
  }
  try {
    return utf8.decode(Buffer.from(cleaned, urlSafe ? 'base64url' : 'base64'));
  } catch {
    throw new FlowsteadError(
      'TEXT_BASE64_NOT_TEXT',
      'The Base64 decodes to data that is not UTF-8 text (perhaps a file, an image or text in another encoding). Base64 decode only gives text.',
    );
  }
}

const str = (value: unknown) => (value === undefined || value === null ? '' : (value as string));

export const textImplementations = implement(textCards, {
  'text.compose': (i) => ({ text: str(i['text']) }),
  'text.concatenate': (i) => ({
    text: extraValues('text.concatenate', i)
      .map(([, v]) => str(v))
      .join(str(i['separator'])),
  }),
  'text.split': (i) => {
    const text = str(i['text']);
    const separator = str(i['separator']);
    // An empty separator splits into characters: whole code points, so emoji stay intact.
    const parts = separator === '' ? Array.from(text) : text.split(separator);
    const limit = i['limit'] as number | undefined;
    return { list: limit === undefined ? parts : parts.slice(0, Math.max(0, limit)) };
  },
  'text.replace': (i) => {
    const text = str(i['text']);
    const find = str(i['find']);
    const by = str(i['replaceWith']);
    if (find === '') return { text };
    return { text: i['all'] === false ? text.replace(find, () => by) : text.split(find).join(by) };
  },
  'text.regexFind': (i) => {
    const re = regex(str(i['pattern']), str(i['flags']), true);
    const found = [...str(i['text']).matchAll(re)];
    return {
      matches: found.map((m) => m[0]),
      groups: found.map((m) => m.slice(1).map((g) => g ?? null)),
      found: found.length > 0,
    };
  },
  'text.regexReplace': (i) => ({
    text: str(i['text']).replace(
      regex(str(i['pattern']), str(i['flags']), i['global'] !== false),
      str(i['replaceWith']),
    ),
  }),
  'text.lower': (i) => ({ text: str(i['text']).toLowerCase() }),
  'text.upper': (i) => ({ text: str(i['text']).toUpperCase() }),
  'text.trim': (i) => ({ text: str(i['text']).trim() }),
  'text.substring': (i) => ({
    text: slice(str(i['text']), (i['start'] as number | undefined) ?? 0, i['end'] as number | undefined),
  }),
  'text.length': (i) => {
    let length = 0;
    for (const _ of str(i['text'])) length++;
    return { length };
  },
  'text.base64Encode': (i) => ({ text: base64(str(i['text']), i['urlSafe'] === true) }),
  'text.base64Decode': (i) => ({ text: fromBase64(str(i['text']), i['urlSafe'] === true) }),
});
