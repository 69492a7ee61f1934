import type { ConnectorAction } from '../../../shared/connectors/definition.js';
import { FlowsteadError } from '../../../shared/errors.js';
import { readPath } from '../http/read-path.js';
import type { HttpRequest, HttpResponse, QueryParams } from '../http/types.js';

type Json = unknown;

function formatted(value: unknown, format: string | undefined): unknown {
  return format === undefined ? value : format.split('{value}').join(String(value));
}

/** Form fields are text; structured values travel as JSON rather than "[object Object]". */
function formValue(value: unknown): string {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sets a dotted path, creating objects (or arrays for numeric segments); objects merge into objects. */
function setPath(root: Record<string, Json>, path: string, value: unknown): Record<string, Json> {
  if (path === '$') {
    if (!isPlainObject(value)) return root;
    return { ...root, ...value };
  }
  const segments = path.split('.');
  let node: Record<string, Json> | Json[] = root;
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    const key: string | number = /^\d+$/.test(segment) ? Number(segment) : segment;
    const container = node as Record<string | number, Json>;
    if (last) {
      const current = container[key];
      container[key] = isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value;
      return;
    }
    const nextIsIndex = /^\d+$/.test(segments[index + 1]!);
    if (container[key] === undefined || container[key] === null || typeof container[key] !== 'object') {
      container[key] = nextIsIndex ? [] : {};
    }
    node = container[key] as Record<string, Json> | Json[];
  });
  return root;
}

/** Turns a declarative action and a card's inputs into one HTTP request. */
export function buildActionRequest(action: ConnectorAction, inputs: Record<string, unknown>): HttpRequest {
  let body: Record<string, Json> = structuredClone((action.fixedBody ?? {}) as Record<string, Json>);
  /** A whole-body input that is not an object (a list, a text) replaces the body. */
  let wholeBody: { value: unknown } | undefined;
  let hasBody = action.fixedBody !== undefined;
  const query: QueryParams = { ...(action.fixedQuery ?? {}) };
  const headers: Record<string, string> = { ...(action.fixedHeaders ?? {}) };
  let path = action.path;

  for (const input of action.inputs) {
    const raw = inputs[input.name] ?? input.default;
    if (raw === undefined || raw === null || raw === '') {
      if (input.required) {
        throw new FlowsteadError('CARD_INPUT_MISSING', `Input \`${input.name}\` is required: ${input.description}`, {
          input: input.name,
        });
      }
      continue;
    }
    const value = formatted(raw, input.format);
    const target = input.target ?? input.name;
    switch (input.in) {
      case 'path':
        path = path.split(`{${input.name}}`).join(encodeURIComponent(String(value)));
        break;
      case 'query':
        query[target] = Array.isArray(value) ? value.map(String) : (value as string | number | boolean);
        break;
      case 'header':
        headers[target] = String(value);
        break;
      case 'body':
        if (target === '$' && !isPlainObject(value)) wholeBody = { value };
        else body = setPath(body, target, value);
        hasBody = true;
        break;
      case 'none':
        break;
    }
  }
  const request: HttpRequest = { method: action.method, path, query, headers };
  if (hasBody && action.method !== 'GET' && action.method !== 'HEAD') {
    request.body = wholeBody
      ? { kind: 'json', value: wholeBody.value }
      : action.bodyType === 'form'
        ? { kind: 'form', value: Object.fromEntries(Object.entries(body).map(([k, v]) => [k, formValue(v)])) }
        : { kind: 'json', value: body };
  }
  return request;
}

/** Reads the action's outputs from the response (`body.id`, `status`, `headers.location`, `items`). */
export function readActionOutputs(
  action: ConnectorAction,
  response: HttpResponse | undefined,
  items: unknown[] | undefined,
): Record<string, unknown> {
  const source = { status: response?.status, headers: response?.headers, body: response?.body, items };
  const outputs: Record<string, unknown> = {};
  for (const output of action.outputs) {
    const value = readPath(source, output.from);
    outputs[output.name] = value === undefined ? null : value;
  }
  if (action.paginate && !('items' in outputs)) outputs['items'] = items ?? [];
  return outputs;
}
