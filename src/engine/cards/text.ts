import { textCards } from '../../shared/cards/catalog/text.js';
import { FlowsteadError } from '../../shared/errors.js';
import { extraValues, implement } from './implement.js';

const MAX_PATTERN = 1000;

function regex(pattern: string, flags: string, global: boolean): RegExp {
  if (pattern.length > MAX_PATTERN) {
    throw new FlowsteadError(
      'TEXT_REGEX_INVALID',
      `The pattern is ${pattern.length} characters long; patterns are limited to ${MAX_PATTERN}. Use a shorter pattern.`,
    );
  }
  // g and y are the card's business; u is always on (v, its successor, replaces it when asked for).
  const letters = [...new Set(flags.replace(/[gyu]/g, ''))].join('');
  const clean = letters + (global ? 'g' : '') + (letters.includes('v') ? '' : 'u');
  try {
    return new RegExp(pattern, clean);
  } catch (error) {
    throw new FlowsteadError(
      'TEXT_REGEX_INVALID',
      `The pattern \`${pattern}\` is not a valid regular expression: ${(error as Error).message}. Fix the pattern.`,
      { pattern },
    );
  }
}

/** Code-point aware slice with negative positions counted from the end. */
function slice(text: string, start: number, end: number | undefined): string {
  const chars = Array.from(text);
  return chars.slice(Math.trunc(start), end === undefined ? undefined : Math.trunc(end)).join('');
}

function base64(text: string, urlSafe: boolean): string {
  const encoded = Buffer.from(text, 'utf8').toString(urlSafe ? 'base64url' : 'base64');
  return encoded;
}

function fromBase64(text: string, urlSafe: boolean): string {
  const cleaned = text.replace(/\s+/g, '');
  const valid = urlSafe ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  if (!valid.test(cleaned) || cleaned.replace(/=+$/, '').length % 4 === 1) {
    throw new FlowsteadError(
      'TEXT_BASE64_INVALID',
      `The text is not valid ${urlSafe ? 'URL-safe ' : ''}Base64. Check that it was copied completely${urlSafe ? '' : ', or turn on urlSafe if it uses - and _'}.`,
    );
  }
  return Buffer.from(cleaned, urlSafe ? 'base64url' : 'base64').toString('utf8');
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
