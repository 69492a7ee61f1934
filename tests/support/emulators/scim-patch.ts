/**
 * SCIM PATCH (RFC 7644 §3.5.2): add / replace / remove with attribute paths such as `active`,
 * `name.givenName`, `emails[type eq "work"].value`, `members[value eq "id"]` and URN-prefixed
 * extension paths. Works on a copy so a failing operation leaves the resource untouched.
 */
import { isRecord } from './emulator-server.js';
import { FilterSyntaxError, matchesFilter, parseFilter, type FilterNode } from './filter-expression.js';

export type ScimResource = Record<string, unknown>;

export class ScimPatchError extends Error {
  constructor(
    readonly scimType: 'invalidPath' | 'invalidValue' | 'invalidSyntax' | 'noTarget' | 'mutability',
    message: string,
  ) {
    super(message);
  }
}

interface ParsedPath {
  /** The object holding the attribute: the resource, or an extension's object. */
  schema?: string;
  attribute: string;
  filter?: FilterNode;
  subAttribute?: string;
}

const readOnly = new Set(['id', 'meta', 'schemas', 'groups']);

function parsePath(path: string): ParsedPath {
  let schema: string | undefined;
  let rest = path.trim();
  if (rest.toLowerCase().startsWith('urn:')) {
    // The attribute follows the last colon; the core schema URN means the resource itself.
    const split = rest.lastIndexOf(':');
    schema = rest.slice(0, split);
    rest = rest.slice(split + 1);
    if (schema.toLowerCase().includes(':core:')) schema = undefined;
  }
  const match = /^([A-Za-z$][\w$-]*)(?:\[(.+)\])?(?:\.([A-Za-z$][\w$-]*))?$/.exec(rest);
  if (!match) throw new ScimPatchError('invalidPath', `The path "${path}" is not a valid attribute path`);
  let filter: FilterNode | undefined;
  if (match[2] !== undefined) {
    try {
      filter = parseFilter(match[2]);
    } catch (error) {
      if (error instanceof FilterSyntaxError)
        throw new ScimPatchError('invalidPath', `Invalid filter in path: ${path}`);
      throw error;
    }
  }
  return { schema, attribute: match[1] as string, filter, subAttribute: match[3] };
}

/** The existing key spelled as stored, since attribute names are case-insensitive. */
function keyIn(target: Record<string, unknown>, name: string): string {
  return Object.keys(target).find((key) => key.toLowerCase() === name.toLowerCase()) ?? name;
}

function containerFor(resource: ScimResource, schema: string | undefined): Record<string, unknown> {
  if (!schema) return resource;
  const key = keyIn(resource, schema);
  if (!isRecord(resource[key])) resource[key] = {};
  const schemas = Array.isArray(resource.schemas) ? resource.schemas : [];
  if (!schemas.some((s) => String(s).toLowerCase() === schema.toLowerCase())) resource.schemas = [...schemas, schema];
  return resource[key] as Record<string, unknown>;
}

/** Values in multi-valued attributes are the same entry when their `value` sub-attribute matches. */
function sameEntry(a: unknown, b: unknown): boolean {
  if (isRecord(a) && isRecord(b) && 'value' in a && 'value' in b) return a.value === b.value;
  return JSON.stringify(a) === JSON.stringify(b);
}

function setAttribute(target: Record<string, unknown>, name: string, value: unknown, op: 'add' | 'replace'): void {
  const key = keyIn(target, name);
  if (readOnly.has(key.toLowerCase())) return;
  const existing = target[key];
  if (op === 'add' && Array.isArray(existing)) {
    const additions = Array.isArray(value) ? value : [value];
    target[key] = [...existing, ...additions.filter((item) => !existing.some((old) => sameEntry(old, item)))];
  } else if (isRecord(existing) && isRecord(value)) {
    target[key] = { ...existing, ...value };
  } else {
    target[key] = value;
  }
}

function applyWithoutPath(resource: ScimResource, op: 'add' | 'replace', value: unknown): void {
  if (!isRecord(value)) throw new ScimPatchError('invalidValue', 'An operation without a path needs an object value');
  for (const [name, attributeValue] of Object.entries(value)) {
    if (name.toLowerCase().startsWith('urn:') && isRecord(attributeValue)) {
      const extension = containerFor(resource, name);
      for (const [inner, innerValue] of Object.entries(attributeValue)) setAttribute(extension, inner, innerValue, op);
    } else if (name.includes('.') || name.toLowerCase().startsWith('urn:')) {
      // Azure AD sends dotted keys such as "name.givenName" in path-less operations.
      applyOperation(resource, { op, path: name, value: attributeValue });
    } else {
      setAttribute(resource, name, attributeValue, op);
    }
  }
}

interface Operation {
  op: string;
  path?: string;
  value?: unknown;
}

function applyOperation(resource: ScimResource, operation: Operation): void {
  const op = operation.op.toLowerCase();
  if (op !== 'add' && op !== 'replace' && op !== 'remove') {
    throw new ScimPatchError('invalidSyntax', `Unknown operation "${operation.op}"`);
  }
  if (!operation.path) {
    if (op === 'remove') throw new ScimPatchError('noTarget', 'A remove operation needs a path');
    applyWithoutPath(resource, op, operation.value);
    return;
  }
  const path = parsePath(operation.path);
  if (readOnly.has(path.attribute.toLowerCase()) && !path.schema) {
    throw new ScimPatchError('mutability', `The attribute "${path.attribute}" cannot be changed`);
  }
  const container = containerFor(resource, path.schema);
  const key = keyIn(container, path.attribute);

  if (path.filter) {
    const list = Array.isArray(container[key]) ? (container[key] as unknown[]) : [];
    const filter = path.filter;
    const matches = list.filter((entry) => matchesFilter(entry, filter));
    if (op === 'remove') {
      const sub = path.subAttribute;
      container[key] = sub
        ? list.map((entry) => (matches.includes(entry) && isRecord(entry) ? withoutKey(entry, sub) : entry))
        : list.filter((entry) => !matches.includes(entry));
      return;
    }
    if (matches.length === 0) {
      throw new ScimPatchError('noTarget', `No value of "${path.attribute}" matches the filter in "${operation.path}"`);
    }
    container[key] = list.map((entry) => {
      if (!matches.includes(entry) || !isRecord(entry)) return entry;
      if (path.subAttribute) return { ...entry, [keyIn(entry, path.subAttribute)]: operation.value };
      return isRecord(operation.value) ? { ...entry, ...operation.value } : entry;
    });
    return;
  }

  if (path.subAttribute) {
    if (op === 'remove') {
      if (isRecord(container[key]))
        container[key] = withoutKey(container[key] as Record<string, unknown>, path.subAttribute);
      return;
    }
    if (!isRecord(container[key])) container[key] = {};
    setAttribute(container[key] as Record<string, unknown>, path.subAttribute, operation.value, 'replace');
    return;
  }

  if (op === 'remove') {
    // Azure AD removes chosen members as `{op:'remove', path:'members', value:[{value:id}]}`.
    if (Array.isArray(container[key]) && Array.isArray(operation.value)) {
      const removals = operation.value;
      container[key] = (container[key] as unknown[]).filter(
        (entry) => !removals.some((gone) => sameEntry(entry, gone)),
      );
    } else {
      delete container[key];
    }
    return;
  }
  setAttribute(container, key, operation.value, op);
}

function withoutKey(record: Record<string, unknown>, name: string): Record<string, unknown> {
  const copy = { ...record };
  delete copy[keyIn(copy, name)];
  return copy;
}

/** Applies a PatchOp request body to a copy of `resource` and returns the copy. */
export function applyPatch(resource: ScimResource, body: unknown): ScimResource {
  if (!isRecord(body) || !Array.isArray(body.Operations)) {
    throw new ScimPatchError('invalidSyntax', 'The request body must be a PatchOp with an Operations array');
  }
  const schemas = Array.isArray(body.schemas) ? body.schemas : [];
  if (!schemas.includes('urn:ietf:params:scim:api:messages:2.0:PatchOp')) {
    throw new ScimPatchError('invalidSyntax', 'The request must use the PatchOp schema');
  }
  const copy = structuredClone(resource);
  for (const operation of body.Operations) {
    if (!isRecord(operation) || typeof operation.op !== 'string') {
      throw new ScimPatchError('invalidSyntax', 'Each operation needs an "op"');
    }
    applyOperation(copy, {
      op: operation.op,
      path: typeof operation.path === 'string' ? operation.path : undefined,
      value: operation.value,
    });
  }
  return copy;
}
