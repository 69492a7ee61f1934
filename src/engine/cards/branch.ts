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
    const keys = Object.keys(cases);
    // The exact spelling wins; ignoring case only decides when there is no exact case.
    const key =
      keys.find((k) => k === value) ??
      (insensitive ? keys.find((k) => k.toLowerCase() === value.toLowerCase()) : undefined);
    return key === undefined ? { result: i['default'] ?? null, matched: false } : { result: cases[key], matched: true };
  },
});
