import { FlowsteadError } from '../../shared/errors.js';

/** A stable key for value equality: objects compare by content regardless of key order. */
export function valueKey(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
          )
        : v,
    ) ?? 'undefined'
  );
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses `a.b.0.c` or `a.items[0].name` into steps; refuses keys that could reach prototypes. */
export function parsePath(path: string): (string | number)[] {
  const steps: (string | number)[] = [];
  for (const raw of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (raw === '') continue;
    if (FORBIDDEN.has(raw)) {
      throw new FlowsteadError(
        'OBJECT_PATH_FORBIDDEN',
        `The path \`${path}\` uses \`${raw}\`, which is not allowed. Use another field name.`,
      );
    }
    steps.push(/^\d+$/.test(raw) ? Number(raw) : raw);
  }
  return steps;
}

export function checkKey(key: string): string {
  if (FORBIDDEN.has(key))
    throw new FlowsteadError('OBJECT_PATH_FORBIDDEN', `The key \`${key}\` is not allowed. Use another field name.`);
  return key;
}

export function getPath(value: unknown, steps: readonly (string | number)[]): { found: boolean; value: unknown } {
  let current = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, step))
      return { found: false, value: undefined };
    current = (current as Record<string | number, unknown>)[step];
  }
  return { found: true, value: current };
}

/** Orders values the way an admin expects: numbers by value, text alphabetically, empty last. */
export function compareValues(a: unknown, b: unknown): number {
  const aEmpty = a === null || a === undefined;
  const bEmpty = b === null || b === undefined;
  if (aEmpty || bEmpty) return aEmpty === bEmpty ? 0 : aEmpty ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b));
}
