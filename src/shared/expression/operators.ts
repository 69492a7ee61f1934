import { FlowsteadError } from '../errors.js';
import { describeValue } from '../values.js';

/** Property names that lead into JavaScript's object machinery rather than into the data. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const hasOwn = Object.prototype.hasOwnProperty;

/** Reads an own property of an object or list; anything else (missing, inherited, forbidden) is undefined. */
export function readOwn(value: unknown, key: string | number): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  return hasOwn.call(value, key) ? (value as Record<string | number, unknown>)[key] : undefined;
}

/**
 * Looks a top-level name up in the scope. Kept apart from readOwn so the engine's property
 * caches for scope objects and for card outputs do not crowd each other out on the hot path.
 */
export function readName(scope: object, name: string): unknown {
  return hasOwn.call(scope, name) ? (scope as Record<string, unknown>)[name] : undefined;
}

/** Same as readOwn for keys computed at run time, which may be anything. */
export function readDynamic(value: unknown, key: unknown): unknown {
  if (typeof key === 'number') return readOwn(value, key);
  if (typeof key === 'string') return FORBIDDEN_KEYS.has(key) ? undefined : readOwn(value, key);
  return undefined;
}

/**
 * What counts as "yes" in conditions: nothing, false, 0, not-a-number and empty text are "no";
 * everything else (including an empty list) is "yes", as in the JSON world admins come from.
 */
export function isTruthy(value: unknown): boolean {
  return Boolean(value);
}

/** How a value reads as text in templates and text concatenation. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value) ?? '';
  return String(value);
}

/** Lists and objects compare by content, everything else strictly. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  for (const key of keysA) {
    if (!hasOwn.call(b, key)) return false;
    if (!sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

export function typeError(message: string, details: Record<string, unknown> = {}): FlowsteadError {
  return new FlowsteadError('EXPRESSION_TYPE', message, details);
}

function operandError(operator: string, expected: string, left: unknown, right: unknown): FlowsteadError {
  return typeError(`\`${operator}\` works on ${expected}, got ${describeValue(left)} and ${describeValue(right)}.`, {
    operator,
    left: describeValue(left),
    right: describeValue(right),
  });
}

export function add(left: unknown, right: unknown): unknown {
  if (typeof left === 'number' && typeof right === 'number') return left + right;
  if (typeof left === 'string' || typeof right === 'string') return toText(left) + toText(right);
  throw typeError(
    `\`+\` adds numbers or joins text, got ${describeValue(left)} and ${describeValue(right)}. Use concat() to join lists.`,
    { operator: '+', left: describeValue(left), right: describeValue(right) },
  );
}

export type NumberOperator = '-' | '*' | '/' | '%';

export function arithmetic(operator: NumberOperator, left: unknown, right: unknown): number {
  if (typeof left !== 'number' || typeof right !== 'number') throw operandError(operator, 'numbers', left, right);
  switch (operator) {
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
    case '%':
      // Infinity would silently turn into null once stored as JSON; stop the run with a clear reason instead.
      if (right === 0) {
        throw new FlowsteadError('EXPRESSION_DIVISION_BY_ZERO', `\`${operator}\` divides by zero.`, { operator });
      }
      return operator === '/' ? left / right : left % right;
  }
}

export type CompareOperator = '<' | '<=' | '>' | '>=';

export function compare(operator: CompareOperator, left: unknown, right: unknown): boolean {
  const bothNumbers = typeof left === 'number' && typeof right === 'number';
  const bothText = typeof left === 'string' && typeof right === 'string';
  if (!bothNumbers && !bothText) throw operandError(operator, 'two numbers or two texts', left, right);
  const a = left as number | string;
  const b = right as number | string;
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

export function negate(value: unknown): number {
  if (typeof value !== 'number')
    throw typeError(`\`-\` in front of a value needs a number, got ${describeValue(value)}.`, { operator: '-' });
  return -value;
}
