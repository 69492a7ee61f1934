import { FlowsteadError } from './errors.js';

/**
 * The value types a card input or output can declare. Dates travel as ISO-8601 text.
 * `flow`, `table` and `connection` are text ids that validation checks against what exists;
 * `expression` is source text in the safe expression language, evaluated by the card per item.
 */
export const VALUE_TYPES = [
  'text',
  'number',
  'boolean',
  'date',
  'object',
  'list',
  'any',
  'flow',
  'table',
  'expression',
  'connection',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** Describes a runtime value in the user's words: "text", "a list", "nothing". */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
      return Number.isNaN(value) ? 'not-a-number' : 'a number';
    case 'boolean':
      return 'true/false';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

export function describeType(type: ValueType): string {
  switch (type) {
    case 'text':
    case 'flow':
    case 'table':
    case 'expression':
    case 'connection':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true/false';
    case 'date':
      return 'a date';
    case 'object':
      return 'an object';
    case 'list':
      return 'a list';
    case 'any':
      return 'any value';
  }
}

export interface CoercionSite {
  /** card id, or 'trigger' */
  node: string;
  /** input or field name */
  input: string;
  /** card title for the message, when known */
  title?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function fail(site: CoercionSite, type: ValueType, value: unknown): never {
  const who = site.title ? `card \`${site.title}\` (${site.node})` : `card \`${site.node}\``;
  throw new FlowsteadError(
    'INPUT_TYPE',
    `Input \`${site.input}\` of ${who} expected ${describeType(type)}, got ${describeValue(value)}.`,
    { node: site.node, input: site.input, expected: type, actual: describeValue(value) },
  );
}

/**
 * Converts a resolved input value to its declared type, loosely where an admin would expect it
 * (numbers and true/false become text, numeric text becomes a number), strictly otherwise.
 * `null`/`undefined` pass through: whether an input may be empty is validation's concern.
 */
export function coerceValue(value: unknown, type: ValueType, site: CoercionSite): unknown {
  if (value === null || value === undefined || type === 'any') return value;
  switch (type) {
    case 'text':
    case 'flow':
    case 'table':
    case 'expression':
    case 'connection':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return fail(site, type, value);
    case 'number':
      if (typeof value === 'number' && !Number.isNaN(value)) return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      return fail(site, type, value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true') return true;
      if (value === 'false') return false;
      return fail(site, type, value);
    case 'date':
      if (typeof value === 'string' && ISO_DATE.test(value)) return value;
      if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
      return fail(site, type, value);
    case 'object':
      if (typeof value === 'object' && !Array.isArray(value)) return value;
      return fail(site, type, value);
    case 'list':
      if (Array.isArray(value)) return value;
      return fail(site, type, value);
  }
}

/** Reads a nested path out of a value; missing steps give `undefined`, never an exception. */
export function readPath(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || current === undefined) return undefined;
    if (typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
