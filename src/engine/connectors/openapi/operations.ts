import { FlowsteadError } from '../../../shared/errors.js';
import { isObject, textOf, type OpenApiObject, type RefResolver } from './document.js';
import { NameScope, operationNameFromPath, toIdentifier } from './names.js';

/** More than any real API description; beyond it the import would only produce an unusable palette. */
export const MAX_OPERATIONS = 2000;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'] as const;
export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH' | 'HEAD';

/** One operation of the document, with the unique action name it gets. */
export interface OpenApiOperation {
  /** Unique, `^[a-z][a-zA-Z0-9]*$`: the operationId made valid, or one made from method and path. */
  name: string;
  /** The operationId as the document spells it, if any. */
  operationId: string | undefined;
  method: HttpMethod;
  path: string;
  summary: string;
  operation: OpenApiObject;
  pathItem: OpenApiObject;
}

/** Every GET, PUT, POST, DELETE, PATCH and HEAD operation under `paths`, in document order. */
export function listOperations(document: OpenApiObject, refs: RefResolver): OpenApiOperation[] {
  const paths = isObject(document['paths']) ? document['paths'] : {};
  const names = new NameScope();
  const operations: OpenApiOperation[] = [];
  for (const [rawPath, rawItem] of Object.entries(paths)) {
    const pathItem = refs.resolve(rawItem);
    if (!pathItem) continue;
    const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
    for (const key of Object.keys(pathItem)) {
      const method = METHODS.find((m) => m === key.toLowerCase());
      const operation = method ? refs.resolve(pathItem[key]) : undefined;
      if (!method || !operation) continue;
      if (operations.length >= MAX_OPERATIONS) {
        throw new FlowsteadError(
          'OPENAPI_INVALID',
          `The document has more than ${MAX_OPERATIONS} operations; Flowstead imports up to ${MAX_OPERATIONS}. Remove the paths you do not need (or split the description) and import again.`,
        );
      }
      const operationId = textOf(operation['operationId']) || undefined;
      const generated = operationNameFromPath(method, path);
      operations.push({
        name: names.claim(operationId ? toIdentifier(operationId, generated, 'op') : generated),
        operationId,
        method: method.toUpperCase() as HttpMethod,
        path,
        summary: textOf(operation['summary']),
        operation,
        pathItem,
      });
    }
  }
  return operations;
}

/**
 * The operations to import: all of them, or those picked by action name or by the document's
 * operationId. An unknown pick is an error, not a silent skip.
 */
export function pickOperations(all: OpenApiOperation[], picks: string[] | undefined): OpenApiOperation[] {
  if (picks === undefined) return all;
  if (picks.length === 0) {
    throw new FlowsteadError('OPENAPI_NO_OPERATIONS', 'No operations were picked: pick at least one to import.');
  }
  // A listed (unique) name wins; the document's own operationId is accepted when no name matches.
  const matches = (pick: string) => {
    const byName = all.filter((op) => op.name === pick);
    return byName.length > 0 ? byName : all.filter((op) => op.operationId === pick);
  };
  const unknown = picks.filter((pick) => matches(pick).length === 0);
  if (unknown.length > 0) {
    const known = all
      .slice(0, 10)
      .map((op) => op.name)
      .join(', ');
    throw new FlowsteadError(
      'OPENAPI_OPERATION_NOT_FOUND',
      `The document has no operation ${unknown.map((name) => `\`${name}\``).join(', ')}. Pick from the listed operations (e.g. ${known}).`,
      { operations: unknown },
    );
  }
  const wanted = new Set(picks.flatMap(matches));
  return all.filter((op) => wanted.has(op));
}
