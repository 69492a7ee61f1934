import { objectCards } from '../../shared/cards/catalog/object.js';
import { FlowsteadError } from '../../shared/errors.js';
import { extraValues, implement } from './implement.js';
import { checkKey, getPath, parsePath } from './values.js';

type Obj = Record<string, unknown>;
/** How far past a list's end Set may write (the gap is filled with null). */
const MAX_GAP = 1000;
const obj = (value: unknown): Obj => (value ?? {}) as Obj;
const isPlainObject = (value: unknown): value is Obj =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `path` is the whole path as typed, for messages. */
function setPath(target: unknown, steps: readonly (string | number)[], value: unknown, path: string): unknown {
  if (steps.length === 0) return value;
  const [step, ...rest] = steps as [string | number, ...(string | number)[]];
  // A position (emails[0]) in a list, or in a missing parent, which then becomes a list.
  if (typeof step === 'number' && (Array.isArray(target) || target === undefined || target === null)) {
    const copy: unknown[] = Array.isArray(target) ? [...(target as unknown[])] : [];
    if (step > copy.length + MAX_GAP)
      throw new FlowsteadError(
        'OBJECT_PATH_INDEX',
        `The path \`${path}\` sets position ${step}, far past the end of the list (${copy.length} item(s)). Check the path.`,
        { path, index: step, length: copy.length },
      );
    while (copy.length < step) copy.push(null); // no holes: JSON would show them as null anyway
    copy[step] = setPath(copy[step], rest, value, path);
    return copy;
  }
  // Turning a list into an object would drop its items; a field of a list item needs its position.
  if (Array.isArray(target))
    throw new FlowsteadError(
      'OBJECT_PATH_LIST',
      `The path \`${path}\` names the field \`${step}\` inside a list. Give the item's position before it, e.g. [0].${step}.`,
      { path, field: step },
    );
  const base: Obj = isPlainObject(target) ? { ...target } : {};
  base[String(step)] = setPath(base[String(step)], rest, value, path);
  return base;
}

/** Field names for pick and omit: empty entries are skipped, prototype names refused like in paths. */
function keyList(value: unknown): string[] {
  const keys: string[] = [];
  for (const key of (value ?? []) as unknown[]) if (key !== null && key !== undefined) keys.push(checkKey(String(key)));
  return keys;
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
      out[checkKey(name)] = getPath(i['object'], parsePath(String(path ?? ''))).value ?? null;
    return out;
  },
  'object.set': (i) => {
    const path = (i['path'] as string | undefined) ?? '';
    const steps = parsePath(path);
    // An empty path would replace the whole object with the value, so the output would not be an object.
    if (steps.length === 0)
      throw new FlowsteadError(
        'OBJECT_PATH_EMPTY',
        'Set needs a field path, e.g. profile.email. Enter the field to set.',
      );
    return { object: setPath(obj(i['object']), steps, i['value'] ?? null, path) };
  },
  'object.merge': (i) => ({ object: merge(obj(i['a']), obj(i['b']), i['deep'] === true) }),
  'object.pick': (i) => {
    const source = obj(i['object']);
    const out: Obj = {};
    for (const key of keyList(i['keys'])) if (Object.prototype.hasOwnProperty.call(source, key)) out[key] = source[key];
    return { object: out };
  },
  'object.omit': (i) => {
    const drop = new Set(keyList(i['keys']));
    return { object: Object.fromEntries(Object.entries(obj(i['object'])).filter(([key]) => !drop.has(key))) };
  },
  'object.keys': (i) => ({ list: Object.keys(obj(i['object'])) }),
  'object.values': (i) => ({ list: Object.values(obj(i['object'])) }),
});
