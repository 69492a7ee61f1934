import { FlowsteadError } from '../../shared/errors.js';

/** The name parts a template can use: whole parts, or their first letter. */
export type NameToken = 'first' | 'last' | 'middle' | 'f' | 'l' | 'm' | 'middle_initial';

export const NAME_TOKENS: readonly NameToken[] = ['first', 'last', 'middle', 'f', 'l', 'm', 'middle_initial'];

export const BUILT_IN_PATTERNS = [
  '{first}.{last}',
  '{f}{last}',
  '{first}{l}',
  '{first}.{middle_initial}.{last}',
] as const;

export type TemplatePart = { kind: 'literal'; text: string } | { kind: 'token'; token: NameToken };

export interface AddressTemplate {
  source: string;
  parts: readonly TemplatePart[];
  usesFirst: boolean;
  usesLast: boolean;
  usesMiddle: boolean;
}

const TOKEN_SET: ReadonlySet<string> = new Set(NAME_TOKENS);

/**
 * Parses "{first}.{last}" into literal and token parts. Checked once, up front, so a typo such as
 * "{frist}" stops the whole run with one clear message instead of failing every row.
 */
export function parseAddressTemplate(source: string): AddressTemplate {
  if (typeof source !== 'string' || source.trim() === '') {
    throw new FlowsteadError('ADDRESS_PATTERN_INVALID', 'The pattern is empty; use one like "{first}.{last}".');
  }
  const parts: TemplatePart[] = [];
  let index = 0;
  while (index < source.length) {
    const open = source.indexOf('{', index);
    const close = source.indexOf('}', index);
    if (close !== -1 && (open === -1 || close < open)) {
      throw patternError(source, `has a "}" without a matching "{" at position ${close + 1}`);
    }
    if (open === -1) {
      parts.push({ kind: 'literal', text: source.slice(index) });
      break;
    }
    if (open > index) parts.push({ kind: 'literal', text: source.slice(index, open) });
    if (close === -1) throw patternError(source, `has a "{" without a closing "}" at position ${open + 1}`);
    const name = source.slice(open + 1, close).trim();
    if (!TOKEN_SET.has(name)) {
      throw new FlowsteadError(
        'ADDRESS_PATTERN_UNKNOWN_TOKEN',
        `The pattern "${source}" uses the unknown token "{${name}}"; use one of ${NAME_TOKENS.map((t) => `{${t}}`).join(' ')}.`,
        { pattern: source, token: name },
      );
    }
    parts.push({ kind: 'token', token: name as NameToken });
    index = close + 1;
  }
  const tokens = parts.flatMap((part) => (part.kind === 'token' ? [part.token] : []));
  if (tokens.length === 0) {
    throw patternError(source, 'has no name tokens, so every person would get the same address; add {first} or {last}');
  }
  return {
    source,
    parts,
    usesFirst: tokens.includes('first') || tokens.includes('f'),
    usesLast: tokens.includes('last') || tokens.includes('l'),
    usesMiddle: tokens.some((t) => t === 'middle' || t === 'm' || t === 'middle_initial'),
  };
}

function patternError(source: string, problem: string): FlowsteadError {
  return new FlowsteadError('ADDRESS_PATTERN_INVALID', `The pattern "${source}" ${problem}.`, { pattern: source });
}

/**
 * The fallback used by the 'middleInitialThenNumeric' strategy: the same pattern with the middle
 * initial placed just before the surname, repeating the separator in front of it
 * ("{first}.{last}" → "{first}.{middle_initial}.{last}", "{f}{last}" → "{f}{m}{last}").
 * Undefined when the pattern already uses the middle name.
 */
export function withMiddleInitial(template: AddressTemplate): AddressTemplate | undefined {
  if (template.usesMiddle) return undefined;
  const parts = [...template.parts];
  const lastIndex = parts.findIndex((p) => p.kind === 'token' && (p.token === 'last' || p.token === 'l'));
  const initial: TemplatePart = { kind: 'token', token: 'middle_initial' };
  if (lastIndex === -1) {
    parts.push(initial);
  } else {
    const before = parts[lastIndex - 1];
    const inserted: TemplatePart[] = before?.kind === 'literal' ? [initial, before] : [initial];
    parts.splice(lastIndex, 0, ...inserted);
  }
  const source = parts.map((p) => (p.kind === 'literal' ? p.text : `{${p.token}}`)).join('');
  return { ...template, source, parts, usesMiddle: true };
}
