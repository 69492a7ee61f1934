/**
 * Finds where JSON text goes wrong and says how to fix it. JSON.parse's own messages vary
 * between Node versions, often lack the position and quote the text itself (which may hold
 * tokens or personal data that would then land in run history), so Parse JSON reports this instead.
 * Only called after JSON.parse has failed, so it favours clear words over speed.
 */
export interface JsonMistake {
  /** Offset from the start of the text, from 0. */
  position: number;
  /** From 1, for people. */
  line: number;
  column: number;
  problem: string;
  hint: string;
}

type Want = 'value' | 'firstValue' | 'key' | 'firstKey' | 'colon' | 'after';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][\w$]*/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

function at(text: string, position: number, problem: string, hint: string): JsonMistake {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return { position, line, column, problem, hint };
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  return i;
}

function readWord(text: string, i: number): string {
  WORD.lastIndex = i;
  return WORD.exec(text)?.[0] ?? '';
}

/** Where a text value starting at `start` (a `"`) ends, or what is wrong inside it. */
function scanString(text: string, start: number): number | JsonMistake {
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '"') return i + 1;
    if (ch < ' ')
      return at(text, i, 'a line break or tab inside text', 'Write line breaks as \\n and tabs as \\t inside quotes.');
    if (ch === '\\') {
      const next = text[i + 1] ?? '';
      if (next === 'u' && HEX4.test(text.slice(i + 2, i + 6))) i += 5;
      else if (ESCAPES.has(next)) i += 1;
      else
        return at(
          text,
          i,
          'a backslash that starts no escape',
          'Double a backslash inside text (\\\\), e.g. "DOMAIN\\\\ana".',
        );
    }
  }
  return at(text, text.length, 'text that is never closed', 'Add the closing double quote (").');
}

function unexpectedValue(text: string, i: number): JsonMistake {
  const ch = text[i] as string;
  const afterComma = text.slice(0, i).trimEnd().endsWith(',');
  if ((ch === '}' || ch === ']') && afterComma)
    return at(
      text,
      i,
      `\`${ch}\` right after a comma`,
      'Remove the comma after the last item: JSON allows none there.',
    );
  if (ch === '}' || ch === ']' || ch === ',' || ch === ':')
    return at(
      text,
      i,
      `\`${ch}\` where a value should be`,
      'A value is missing: add one, or remove the extra punctuation.',
    );
  if (ch === "'") return at(text, i, 'a single quote', 'JSON text uses double quotes ("), not single quotes.');
  if (ch === '/') return at(text, i, 'a comment', 'JSON allows no comments: remove them.');
  const word = readWord(text, i);
  if (['true', 'false', 'null'].includes(word.toLowerCase()))
    return at(text, i, `\`${word}\``, 'Write true, false and null in lowercase.');
  if (['undefined', 'NaN', 'Infinity'].includes(word))
    return at(text, i, `\`${word}\``, `${word} is not part of JSON: use null instead.`);
  if (word !== '') return at(text, i, `the word \`${word}\``, 'Put text values in double quotes, e.g. "active".');
  if (/[-+.\d]/.test(ch))
    return at(
      text,
      i,
      'a badly written number',
      'Write numbers like 12, -3.5 or 1e6: no leading + or zeros, digits on both sides of the point.',
    );
  return at(text, i, `\`${ch}\``, 'Check the text was copied completely and is JSON.');
}

function endedEarly(text: string, want: Want, open: readonly string[]): JsonMistake {
  const closer = open.at(-1) === '{' ? '}' : ']';
  const missing =
    want === 'colon'
      ? 'A `:` and a value are'
      : want === 'key'
        ? 'A field name is'
        : want === 'value'
          ? 'A value is'
          : `\`${closer}\` is`;
  return at(text, text.length, 'the text ends too early', `${missing} missing: check the text was copied completely.`);
}

/** The first mistake in `text`, or null when it is valid JSON. */
export function findJsonMistake(text: string): JsonMistake | null {
  const open: ('{' | '[')[] = [];
  let want: Want = 'value';
  let i = 0;
  for (;;) {
    i = skipSpace(text, i);
    if (i >= text.length) return want === 'after' && open.length === 0 ? null : endedEarly(text, want, open);
    const ch = text[i] as string;
    switch (want) {
      case 'firstValue':
      case 'value': {
        if (ch === ']' && want === 'firstValue') {
          open.pop();
          want = 'after';
          i++;
        } else if (ch === '{' || ch === '[') {
          open.push(ch);
          want = ch === '{' ? 'firstKey' : 'firstValue';
          i++;
        } else if (ch === '"') {
          const end = scanString(text, i);
          if (typeof end !== 'number') return end;
          i = end;
          want = 'after';
        } else {
          NUMBER.lastIndex = i;
          const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
          const number = literal ? null : NUMBER.exec(text);
          const length = literal?.length ?? number?.[0].length ?? 0;
          // A number must not run on into letters or digits it cannot hold (01, 1.).
          if (length === 0 || /[\w.]/.test(text[i + length] ?? ' ')) return unexpectedValue(text, i);
          i += length;
          want = 'after';
        }
        break;
      }
      case 'firstKey':
      case 'key': {
        if (ch === '}' && want === 'firstKey') {
          open.pop();
          want = 'after';
          i++;
        } else if (ch === '"') {
          const end = scanString(text, i);
          if (typeof end !== 'number') return end;
          i = end;
          want = 'colon';
        } else if (ch === '}') {
          return unexpectedValue(text, i);
        } else if (ch === "'") {
          return at(text, i, 'a single quote', 'JSON text uses double quotes ("), not single quotes.');
        } else {
          return at(
            text,
            i,
            `\`${readWord(text, i) || ch}\` where a field name should be`,
            'Put field names in double quotes, e.g. {"email": "ana@example.com"}.',
          );
        }
        break;
      }
      case 'colon':
        if (ch !== ':')
          return at(text, i, `\`${ch}\` after a field name`, 'Put a colon between a field name and its value.');
        want = 'value';
        i++;
        break;
      case 'after': {
        const top = open.at(-1);
        if (top === undefined)
          return at(text, i, 'more text after the JSON value', 'Give one value; wrap several in a list: [ … ].');
        const closer = top === '{' ? '}' : ']';
        if (ch === ',') want = top === '{' ? 'key' : 'value';
        else if (ch === closer) {
          open.pop();
          want = 'after';
        } else {
          const where = top === '{' ? 'between the fields' : 'between the items';
          return at(
            text,
            i,
            `\`${ch}\` where \`,\` or \`${closer}\` should be`,
            `A comma may be missing ${where}, or a bracket is not closed.`,
          );
        }
        i++;
        break;
      }
    }
  }
}
