import { objectCards } from '../../shared/cards/catalog/object.js';
import { extraValues, implement } from './implement.js';
import { checkKey, getPath, parsePath } from './values.js';

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value ?? {}) as Obj;
const isPlainObject = (value: unknown): value is Obj =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function setPath(target: unknown, steps: readonly (string | number)[], value: unknown): unknown {
  if (steps.length === 0) return value;
  const [step, ...rest] = steps as [string | number, ...(string | number)[]];
  if (Array.isArray(target) && typeof step === 'number') {
    const copy = [...target];
    copy[step] = setPath(copy[step], rest, value);
    return copy;
  }
  const base: Obj = isPlainObject(target) ? { ...target } : {};
  base[String(step)] = setPath(base[String(step)], rest, value);
  return base;
}

function merge(a: Obj, b: Obj, deep: boolean): Obj {
  const out: Obj = { ...a };
  for (const [key, value] of Object.entries(b)) {
    checkKey(key);
    out[key] = deep && isPlainObject(out[key]) && isPlainObject(value) ? merge(out[key] as Obj, value, true) : value;
  }
  return out;
}

export const objectImplementations = implement(objectCards, {
  'object.construct': (i) => {
    const object: Obj = {};
    for (const [name, value] of extraValues('object.construct', i)) object[checkKey(name)] = value;
    return { object };
  },
  'object.get': (i) => {
    const { found, value } = getPath(i['object'], parsePath(i['path'] as string));
    return { value: value ?? null, found };
  },
  'object.getMultiple': (i) => {
    const out: Obj = {};
    for (const [name, path] of extraValues('object.getMultiple', i))
      out[name] = getPath(i['object'], parsePath(String(path ?? ''))).value ?? null;
    return out;
  },
  'object.set': (i) => ({ object: setPath(obj(i['object']), parsePath(i['path'] as string), i['value'] ?? null) }),
  'object.merge': (i) => ({ object: merge(obj(i['a']), obj(i['b']), i['deep'] === true) }),
  'object.pick': (i) => {
    const source = obj(i['object']);
    const out: Obj = {};
    for (const key of (i['keys'] ?? []) as string[])
      if (Object.prototype.hasOwnProperty.call(source, key)) out[checkKey(String(key))] = source[key];
    return { object: out };
  },
  'object.omit': (i) => {
    const drop = new Set(((i['keys'] ?? []) as unknown[]).map(String));
    return { object: Object.fromEntries(Object.entries(obj(i['object'])).filter(([key]) => !drop.has(key))) };
  },
  'object.keys': (i) => ({ list: Object.keys(obj(i['object'])) }),
  'object.values': (i) => ({ list: Object.values(obj(i['object'])) }),
});
