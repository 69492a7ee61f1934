import type { ValueType } from '../../../shared/values.js';
import { isObject, type OpenApiObject, type RefResolver } from './document.js';

/** How deep `allOf` / `oneOf` nesting is followed; real documents stay far below this. */
const MAX_DEPTH = 8;

/** The declared type, also from OpenAPI 3.1's `type: [string, 'null']`. */
function declaredType(schema: OpenApiObject): string | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null');
  return undefined;
}

function members(schema: OpenApiObject, key: 'allOf' | 'oneOf' | 'anyOf'): unknown[] {
  const list = schema[key];
  return Array.isArray(list) ? list : [];
}

/** Maps a JSON schema to a Flowstead value type: string → text (dates → date), integer → number, … */
export function valueTypeOf(raw: unknown, refs: RefResolver, depth = 0): ValueType {
  const schema = refs.resolve(raw);
  if (!schema || depth > MAX_DEPTH) return 'any';
  switch (declaredType(schema)) {
    case 'string':
      return schema['format'] === 'date-time' || schema['format'] === 'date' ? 'date' : 'text';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return 'list';
    case 'object':
      return 'object';
  }
  const allOf = members(schema, 'allOf');
  if (allOf.length > 0) {
    const types = new Set(allOf.map((member) => valueTypeOf(member, refs, depth + 1)));
    types.delete('any');
    return types.size === 1 ? [...types][0]! : 'any';
  }
  const alternatives = [...members(schema, 'oneOf'), ...members(schema, 'anyOf')];
  if (alternatives.length > 0) {
    const types = new Set(alternatives.map((member) => valueTypeOf(member, refs, depth + 1)));
    return types.size === 1 ? [...types][0]! : 'any';
  }
  if (isObject(schema['properties'])) return 'object';
  if (schema['items'] !== undefined) return 'list';
  return 'any';
}

export interface ObjectShape {
  /** Properties in document order, after following `$ref` and merging `allOf`. */
  properties: [string, OpenApiObject][];
  required: Set<string>;
}

/**
 * The top-level properties of an object schema, or undefined when it is not a plain object with
 * properties (an array, a oneOf, a free-form map).
 */
export function objectShapeOf(raw: unknown, refs: RefResolver): ObjectShape | undefined {
  const shape: ObjectShape = { properties: [], required: new Set() };
  const visiting = new Set<OpenApiObject>();
  const collect = (value: unknown, depth: number): boolean => {
    const schema = refs.resolve(value);
    if (!schema || depth > MAX_DEPTH || visiting.has(schema)) return false;
    visiting.add(schema);
    const type = declaredType(schema);
    if (type !== undefined && type !== 'object') return false;
    if (members(schema, 'oneOf').length > 0 || members(schema, 'anyOf').length > 0) return false;
    for (const member of members(schema, 'allOf')) if (!collect(member, depth + 1)) return false;
    if (isObject(schema['properties'])) {
      for (const [name, property] of Object.entries(schema['properties'])) {
        const resolved = refs.resolve(property) ?? {};
        const existing = shape.properties.findIndex(([known]) => known === name);
        if (existing >= 0) shape.properties[existing] = [name, resolved];
        else shape.properties.push([name, resolved]);
      }
    }
    if (Array.isArray(schema['required'])) {
      for (const name of schema['required']) if (typeof name === 'string') shape.required.add(name);
    }
    // Only the current chain counts as a loop: two allOf members may share a base schema.
    visiting.delete(schema);
    return true;
  };
  if (!collect(raw, 0) || shape.properties.length === 0) return undefined;
  return shape;
}

/** A schema's string `enum`, as the options of a picker. */
export function enumOptionsOf(schema: OpenApiObject | undefined): string[] | undefined {
  const values = schema?.['enum'];
  if (!Array.isArray(values) || values.length === 0 || values.length > 100) return undefined;
  return values.every((value): value is string => typeof value === 'string') ? values : undefined;
}

/** A schema's `default` when it is a simple value the card editor can show. */
export function simpleDefaultOf(schema: OpenApiObject | undefined): string | number | boolean | undefined {
  const value = schema?.['default'];
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}
