import { describeValue } from '../values.js';
import { isTruthy, sameValue, toText, typeError } from './operators.js';
import type { ExpressionScope } from './index.js';

export type Evaluator = (scope: ExpressionScope) => unknown;

/**
 * A built-in function. Most receive their evaluated arguments; `lazy` ones (if, coalesce)
 * receive the argument evaluators so only the branch that matters runs.
 */
export type FormulaFunction =
  | { readonly minArgs: number; readonly maxArgs: number; readonly call: (...args: unknown[]) => unknown }
  | {
      readonly minArgs: number;
      readonly maxArgs: number;
      readonly lazy: (args: readonly Evaluator[], scope: ExpressionScope) => unknown;
    };

function text(fn: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw typeError(`\`${fn}\` expects text, got ${describeValue(value)}.`, {
    function: fn,
    actual: describeValue(value),
  });
}

function num(fn: string, value: unknown, what = 'a number'): number {
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  throw typeError(`\`${fn}\` expects ${what}, got ${describeValue(value)}.`, {
    function: fn,
    actual: describeValue(value),
  });
}

function list(fn: string, value: unknown): readonly unknown[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value;
  throw typeError(`\`${fn}\` expects a list, got ${describeValue(value)}.`, {
    function: fn,
    actual: describeValue(value),
  });
}

function integer(fn: string, value: unknown, what: string): number {
  const n = num(fn, value, what);
  if (!Number.isInteger(n)) throw typeError(`\`${fn}\` expects ${what}, got ${n}.`, { function: fn });
  return n;
}

/** Rounds half away from zero at the given decimals, without binary-fraction surprises (1.005 → 1.01). */
function roundTo(value: number, decimals: number): number {
  if (decimals === 0) return Math.sign(value) * Math.round(Math.abs(value));
  const magnitude = Math.abs(value);
  const shifted = String(magnitude).includes('e') ? magnitude * 10 ** decimals : Number(`${magnitude}e${decimals}`);
  const rounded = Math.round(shifted);
  return (
    Math.sign(value) * (String(rounded).includes('e') ? rounded / 10 ** decimals : Number(`${rounded}e-${decimals}`))
  );
}

/** min / max take numbers, or one list of numbers. */
function numbersOf(fn: string, args: readonly unknown[]): number[] {
  const values = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  return values.map((v) => num(fn, v, 'numbers'));
}

function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

const MANY = Number.POSITIVE_INFINITY;

function fixed(minArgs: number, maxArgs: number, call: (...args: unknown[]) => unknown): FormulaFunction {
  return { minArgs, maxArgs, call };
}

/** The whole function whitelist: nothing outside this table can be called from a flow. */
export const FORMULA_FUNCTIONS: Readonly<Record<string, FormulaFunction>> = Object.freeze({
  lower: fixed(1, 1, (v) => text('lower', v).toLowerCase()),
  upper: fixed(1, 1, (v) => text('upper', v).toUpperCase()),
  trim: fixed(1, 1, (v) => text('trim', v).trim()),
  length: fixed(1, 1, (v) => {
    if (v === null || v === undefined) return 0;
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    throw typeError(`\`length\` expects text or a list, got ${describeValue(v)}.`, { function: 'length' });
  }),
  // A list first means "join lists"; otherwise the arguments are joined as text.
  concat: fixed(1, MANY, (...args) => {
    if (Array.isArray(args[0])) return args.flatMap((a) => (Array.isArray(a) ? a : [a]));
    return args.map(toText).join('');
  }),
  contains: fixed(2, 2, (where, what) => {
    if (where === null || where === undefined) return false;
    if (Array.isArray(where)) return where.some((item) => sameValue(item, what));
    return text('contains', where).includes(text('contains', what));
  }),
  startsWith: fixed(2, 2, (v, prefix) => text('startsWith', v).startsWith(text('startsWith', prefix))),
  endsWith: fixed(2, 2, (v, suffix) => text('endsWith', v).endsWith(text('endsWith', suffix))),
  replace: fixed(3, 3, (v, find, replacement) => {
    const source = text('replace', v);
    const pattern = text('replace', find);
    // split/join replaces literally: no `$&`-style patterns, and an empty search changes nothing.
    return pattern === '' ? source : source.split(pattern).join(text('replace', replacement));
  }),
  substring: fixed(2, 3, (v, start, end) => {
    const source = text('substring', v);
    const from = integer('substring', start, 'a whole-number start position');
    if (end === undefined || end === null) return source.substring(from);
    return source.substring(from, integer('substring', end, 'a whole-number end position'));
  }),
  split: fixed(2, 2, (v, separator) => {
    const source = text('split', v);
    if (source === '') return [];
    return source.split(text('split', separator));
  }),
  join: fixed(1, 2, (items, separator) =>
    list('join', items)
      .map(toText)
      .join(separator === undefined || separator === null ? ',' : text('join', separator)),
  ),
  round: fixed(1, 2, (v, decimals) => {
    const places =
      decimals === undefined || decimals === null ? 0 : integer('round', decimals, 'a whole number of decimals');
    if (places < 0 || places > 15) throw typeError('`round` keeps 0 to 15 decimals.', { function: 'round' });
    return roundTo(num('round', v), places);
  }),
  floor: fixed(1, 1, (v) => Math.floor(num('floor', v))),
  ceil: fixed(1, 1, (v) => Math.ceil(num('ceil', v))),
  abs: fixed(1, 1, (v) => Math.abs(num('abs', v))),
  min: fixed(1, MANY, (...args) => {
    const values = numbersOf('min', args);
    return values.length === 0 ? undefined : Math.min(...values);
  }),
  max: fixed(1, MANY, (...args) => {
    const values = numbersOf('max', args);
    return values.length === 0 ? undefined : Math.max(...values);
  }),
  number: fixed(1, 1, (v) => {
    if (v === null || v === undefined || v === '') return undefined;
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    throw typeError(`\`number\` cannot read ${typeof v === 'string' ? `"${v}"` : describeValue(v)} as a number.`, {
      function: 'number',
    });
  }),
  text: fixed(1, 1, (v) => toText(v)),
  coalesce: {
    minArgs: 1,
    maxArgs: MANY,
    lazy: (args, scope) => {
      for (const arg of args) {
        const value = arg(scope);
        if (value !== null && value !== undefined && value !== '') return value;
      }
      return undefined;
    },
  },
  isEmpty: fixed(1, 1, isEmptyValue),
  first: fixed(1, 1, (v) => list('first', v)[0]),
  last: fixed(1, 1, (v) => {
    const items = list('last', v);
    return items[items.length - 1];
  }),
  if: {
    minArgs: 3,
    maxArgs: 3,
    lazy: (args, scope) => {
      const [condition, then, otherwise] = args as [Evaluator, Evaluator, Evaluator];
      return isTruthy(condition(scope)) ? then(scope) : otherwise(scope);
    },
  },
});

export function findFormulaFunction(name: string): FormulaFunction | undefined {
  return Object.prototype.hasOwnProperty.call(FORMULA_FUNCTIONS, name) ? FORMULA_FUNCTIONS[name] : undefined;
}
