import { booleanCards } from '../../shared/cards/catalog/boolean.js';
import { FlowsteadError } from '../../shared/errors.js';
import { describeValue } from '../../shared/values.js';
import { extraValues, implement } from './implement.js';
import { valueKey } from './values.js';

const isEmpty = (v: unknown) =>
  v === null ||
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

function order(a: unknown, b: unknown, operator: string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new FlowsteadError(
    'COMPARE_TYPES',
    `Compare: \`${operator}\` needs two numbers or two texts, got ${describeValue(a)} and ${describeValue(b)}. Bind both to the same type, e.g. with the formula number(...) or text(...).`,
    { operator, a: describeValue(a), b: describeValue(b) },
  );
}

/** "Contains nothing" would be true for every text: a forgotten b must not make the condition always true. */
function needle(b: unknown, operator: string): string {
  if (b === null)
    throw new FlowsteadError(
      'COMPARE_MISSING_VALUE',
      `Compare: \`${operator}\` needs a value in b to look for, but b is empty. Bind b, or use isEmpty / notEmpty.`,
      { operator },
    );
  return typeof b === 'string' ? b : JSON.stringify(b);
}

function compare(rawA: unknown, operator: string, rawB: unknown): boolean {
  // An unbound input (undefined) is the same "nothing" as null.
  const a = rawA ?? null;
  const b = rawB ?? null;
  switch (operator) {
    case 'eq':
      return valueKey(a) === valueKey(b);
    case 'ne':
      return valueKey(a) !== valueKey(b);
    case 'lt':
      return order(a, b, operator) < 0;
    case 'lte':
      return order(a, b, operator) <= 0;
    case 'gt':
      return order(a, b, operator) > 0;
    case 'gte':
      return order(a, b, operator) >= 0;
    case 'contains':
      if (Array.isArray(a)) return a.some((item) => valueKey(item) === valueKey(b));
      return typeof a === 'string' && a.includes(needle(b, operator));
    case 'startsWith':
      return typeof a === 'string' && a.startsWith(needle(b, operator));
    case 'endsWith':
      return typeof a === 'string' && a.endsWith(needle(b, operator));
    case 'isEmpty':
      return isEmpty(a);
    case 'notEmpty':
      return !isEmpty(a);
    default:
      throw new FlowsteadError(
        'COMPARE_OPERATOR',
        `Compare: unknown operator \`${operator}\`. Use eq, ne, lt, lte, gt, gte, contains, startsWith, endsWith, isEmpty or notEmpty.`,
      );
  }
}

export const booleanImplementations = implement(booleanCards, {
  'boolean.compare': (i) => ({ result: compare(i['a'], (i['operator'] as string | undefined) ?? 'eq', i['b']) }),
  'boolean.and': (i) => ({ result: extraValues('boolean.and', i).every(([, v]) => v === true) }),
  'boolean.or': (i) => ({ result: extraValues('boolean.or', i).some(([, v]) => v === true) }),
  'boolean.not': (i) => ({ result: i['value'] !== true }),
});
