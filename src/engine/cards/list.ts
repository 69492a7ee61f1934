import { listCards } from '../../shared/cards/catalog/list.js';
import { FlowsteadError } from '../../shared/errors.js';
import { compileExpression } from '../../shared/expression/compile.js';
import { isTruthy } from '../../shared/expression/operators.js';
import { extraInputs, implement } from './implement.js';
import { compareValues, getPath, parsePath, valueKey } from './values.js';

type Items = readonly unknown[];
const items = (value: unknown): Items => (value ?? []) as Items;

/**
 * Compiles a per-item formula once; `item` and `index` are the only names it sees. A mistake
 * that shows only for some item (a field holding text instead of a number) names that item's
 * position, so an admin can find it in a list of hundreds.
 */
function perItem(source: unknown, card: string): ((item: unknown, index: number) => unknown) | null {
  if (typeof source !== 'string' || source.trim() === '') return null;
  const compiled = compileExpression(source);
  return (item, index) => {
    try {
      return compiled.evaluate({ item, index });
    } catch (error) {
      if (!(error instanceof FlowsteadError)) throw error;
      throw new FlowsteadError(error.code, `${card}: for the item at position ${index}: ${error.message}`, {
        ...error.details,
        index,
      });
    }
  };
}

function required(source: unknown, card: string) {
  const fn = perItem(source, card);
  if (!fn)
    throw new FlowsteadError('MISSING_INPUT', `${card} needs a formula in \`expression\`, e.g. item.active == true.`);
  return fn;
}

/** Conditions follow the formula language's idea of "yes" (as in `a ? b : c`), so `item.email` keeps items that have one. */
function condition(source: unknown, card: string) {
  const fn = required(source, card);
  return (item: unknown, index: number) => isTruthy(fn(item, index));
}

/** The helper receives these itself; an added input of the same name would be silently overwritten or overwrite them. */
const FOR_EACH_RESERVED = new Set(['item', 'index']);

function uniqueBy(list: Items, key: (item: unknown, index: number) => string): unknown[] {
  const seen = new Set<string>();
  const kept: unknown[] = [];
  list.forEach((item, index) => {
    const k = key(item, index);
    if (!seen.has(k)) {
      seen.add(k);
      kept.push(item);
    }
  });
  return kept;
}

function edge(list: Items, at: 'first' | 'last') {
  if (list.length === 0) return { item: null, found: false };
  return { item: at === 'first' ? list[0] : list[list.length - 1], found: true };
}

/** A For Each's concurrency (1 when not given), checked: 1 to 50 items at a time. */
export function forEachConcurrency(value: unknown): number {
  const concurrency = Math.trunc((value as number | undefined) ?? 1);
  if (!(concurrency >= 1 && concurrency <= 50)) {
    throw new FlowsteadError(
      'LIST_CONCURRENCY',
      `Concurrency must be between 1 and 50, got ${concurrency}. Pick a value in that range.`,
    );
  }
  return concurrency;
}

export const listImplementations = implement(
  listCards,
  {
    'list.forEach': async (i, ctx) => {
      const concurrency = forEachConcurrency(i['concurrency']);
      const added = extraInputs('list.forEach', i);
      for (const name of Object.keys(added)) {
        if (FOR_EACH_RESERVED.has(name))
          throw new FlowsteadError(
            'LIST_FOREACH_INPUT',
            `For each: the added input \`${name}\` clashes with the \`${name}\` every helper run receives. Rename the input.`,
            { input: name },
          );
      }
      const { results, errors } = await ctx.forEach(i['flow'] as string, items(i['list']), {
        concurrency,
        continueOnError: i['continueOnError'] === true,
        extraInputs: added,
      });
      return { results, errors };
    },
    'list.map': (i) => {
      const fn = required(i['expression'], 'Map');
      return { list: items(i['list']).map(fn) };
    },
    'list.filter': (i) => {
      const keep = condition(i['expression'], 'Filter');
      return { list: items(i['list']).filter(keep) };
    },
    'list.find': (i) => {
      const matches = condition(i['expression'], 'Find');
      const list = items(i['list']);
      const index = list.findIndex(matches);
      return index < 0 ? { item: null, index, found: false } : { item: list[index], index, found: true };
    },
    'list.pluck': (i) => {
      const steps = parsePath(i['path'] as string);
      return { list: items(i['list']).map((item) => getPath(item, steps).value ?? null) };
    },
    'list.sort': (i) => {
      const direction = ((i['direction'] as string | undefined) ?? 'asc').toLowerCase();
      if (direction !== 'asc' && direction !== 'desc')
        throw new FlowsteadError(
          'LIST_SORT_DIRECTION',
          `Sort: direction \`${String(i['direction'])}\` is not known. Use asc (A to Z, small to large) or desc.`,
        );
      const sign = direction === 'desc' ? -1 : 1;
      const by = perItem(i['by'], 'Sort');
      // Keys are computed once per item, not once per comparison.
      const keyed = items(i['list']).map((item, index) => ({ item, key: by ? by(item, index) : item }));
      // Empty values stay last in both directions; Array.prototype.sort is stable.
      keyed.sort((a, b) => {
        const aEmpty = a.key === null || a.key === undefined;
        const bEmpty = b.key === null || b.key === undefined;
        if (aEmpty || bEmpty) return compareValues(a.key, b.key);
        return sign * compareValues(a.key, b.key);
      });
      return { list: keyed.map((k) => k.item) };
    },
    'list.unique': (i) => {
      const by = perItem(i['by'], 'Remove duplicates');
      return { list: uniqueBy(items(i['list']), (item, index) => valueKey(by ? by(item, index) : item)) };
    },
    'list.length': (i) => ({ length: items(i['list']).length }),
    'list.at': (i) => {
      const list = items(i['list']);
      const index = Math.trunc(i['index'] as number);
      const at = index < 0 ? list.length + index : index;
      // Written so a position that is not a number (NaN) is refused too, instead of giving undefined.
      if (!(at >= 0 && at < list.length)) {
        throw new FlowsteadError(
          'LIST_INDEX_OUT_OF_RANGE',
          `There is no item at position ${index}: the list has ${list.length} item(s) (positions 0 to ${list.length - 1}).`,
          { index, length: list.length },
        );
      }
      return { item: list[at] };
    },
    'list.first': (i) => edge(items(i['list']), 'first'),
    'list.last': (i) => edge(items(i['list']), 'last'),
    'list.join': (i) => ({
      text: items(i['list'])
        .map((v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)))
        .join((i['separator'] as string | undefined) ?? ', '),
    }),
    'list.flatten': (i) => ({
      list: items(i['list']).flat(Math.max(0, Math.trunc((i['depth'] as number | undefined) ?? 1))),
    }),
    'list.union': (i) => ({ list: uniqueBy([...items(i['a']), ...items(i['b'])], (item) => valueKey(item)) }),
    'list.intersection': (i) => {
      const inB = new Set(items(i['b']).map(valueKey));
      return {
        list: uniqueBy(
          items(i['a']).filter((item) => inB.has(valueKey(item))),
          (item) => valueKey(item),
        ),
      };
    },
    'list.difference': (i) => {
      const inB = new Set(items(i['b']).map(valueKey));
      return {
        list: uniqueBy(
          items(i['a']).filter((item) => !inB.has(valueKey(item))),
          (item) => valueKey(item),
        ),
      };
    },
  },
  { effectsInCalledFlows: ['list.forEach'] },
);
