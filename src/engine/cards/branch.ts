import { branchCards } from '../../shared/cards/catalog/branch.js';
import { Ended, Routed } from './types.js';
import { extraValues, implement } from './implement.js';

const TRUE = new Routed('true');
const FALSE = new Routed('false');
const STOP = new Ended('stop');

export const branchImplementations = implement(branchCards, {
  'branch.if': (i) => (i['condition'] === true ? TRUE : FALSE),
  'branch.ifElseIf': (i) => {
    for (const [name, value] of extraValues('branch.ifElseIf', i))
      if (value === true) return new Routed(name, { matched: name });
    return new Routed('else', { matched: 'else' });
  },
  'branch.join': (i) => Object.fromEntries(extraValues('branch.join', i).map(([name, value]) => [name, value ?? null])),
  'branch.continueIf': (i) => (i['condition'] === true ? {} : STOP),
  'branch.assignIf': (i) => ({ value: (i['condition'] === true ? i['whenTrue'] : i['whenFalse']) ?? null }),
  'branch.lookup': (i) => {
    const value = (i['value'] as string | undefined) ?? '';
    const cases = (i['cases'] ?? {}) as Record<string, unknown>;
    const insensitive = i['caseInsensitive'] === true;
    const key = Object.keys(cases).find((k) => (insensitive ? k.toLowerCase() === value.toLowerCase() : k === value));
    return key === undefined ? { result: i['default'] ?? null, matched: false } : { result: cases[key], matched: true };
  },
});
