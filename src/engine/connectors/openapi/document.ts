import { LineCounter, parseDocument } from 'yaml';
import { FlowsteadError } from '../../../shared/errors.js';

/** A JSON object as it came out of the parser: every field still needs checking. */
export type OpenApiObject = Record<string, unknown>;

/** Big enough for the Microsoft Graph or Stripe descriptions, small enough not to stall the engine. */
export const MAX_DOCUMENT_CHARS = 20_000_000;

export function isObject(value: unknown): value is OpenApiObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function textOf(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function invalid(message: string, details?: Record<string, unknown>): FlowsteadError {
  return new FlowsteadError('OPENAPI_INVALID', message, details);
}

function parseText(documentText: string): unknown {
  const trimmed = documentText.trim();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      // Fall through: the YAML parser reads JSON too and reports the line of the problem.
    }
  }
  const lineCounter = new LineCounter();
  const parsed = parseDocument(documentText, { prettyErrors: false, uniqueKeys: true, lineCounter });
  const error = parsed.errors[0];
  if (error) {
    const where = lineCounter.linePos(error.pos[0]);
    const position = where ? `line ${where.line}, column ${where.col}` : 'an unknown position';
    const reason = error.message.split('\n')[0] ?? error.message;
    throw invalid(
      `The document is neither valid JSON nor valid YAML: at ${position}: ${reason}. Fix the document there (often indentation or a missing quote) and import again.`,
      { line: where?.line, column: where?.col },
    );
  }
  try {
    // Aliases are capped so a "billion laughs" document cannot blow up memory.
    return parsed.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw invalid(
      `The YAML document could not be read: ${reason}. Remove the repeated aliases (*name) and import again.`,
    );
  }
}

/** Parses JSON or YAML and checks it is an OpenAPI 3.0 or 3.1 description with paths. */
export function readOpenApiDocument(documentText: string): OpenApiObject {
  if (typeof documentText !== 'string' || documentText.trim() === '') {
    throw invalid('The document is empty: paste or choose an OpenAPI 3 description in JSON or YAML.');
  }
  if (documentText.length > MAX_DOCUMENT_CHARS) {
    throw invalid(
      `The document is ${Math.round(documentText.length / 1_000_000)} MB; Flowstead imports up to ${MAX_DOCUMENT_CHARS / 1_000_000} MB. Remove the paths you do not need and import again.`,
    );
  }
  const document = parseText(documentText);
  if (!isObject(document)) {
    throw invalid(
      'The document is not an OpenAPI description: expected an object with `openapi: 3.x`, `info` and `paths` at the top.',
    );
  }
  if (document['swagger'] !== undefined) {
    throw invalid(
      `This is Swagger ${String(document['swagger'])}: convert it to OpenAPI 3 first (e.g. with swagger2openapi, or editor.swagger.io › Edit › Convert to OpenAPI 3) and import the result.`,
      { field: 'swagger' },
    );
  }
  const version = document['openapi'];
  if (version === undefined) {
    throw invalid(
      'The document has no `openapi` field, so it is not an OpenAPI 3 description. Export the API description as OpenAPI 3.0 or 3.1 and import that.',
      { field: 'openapi' },
    );
  }
  // An unquoted `openapi: 3.0` reads as the number 3; accept it as 3.0.
  const versionText =
    typeof version === 'number' ? (Number.isInteger(version) ? `${version}.0` : String(version)) : String(version);
  if (!/^3\.[01](\.\d+)?([-+].*)?$/.test(versionText.trim())) {
    throw invalid(
      `OpenAPI ${versionText} is not supported: Flowstead imports OpenAPI 3.0.x and 3.1.x. Export or convert the description to OpenAPI 3.1 and import again.`,
      { field: 'openapi' },
    );
  }
  if (document['paths'] !== undefined && !isObject(document['paths'])) {
    throw invalid(
      'The document’s `paths` is not an object of paths such as `/users: {get: …}`. Fix it and import again.',
      {
        field: 'paths',
      },
    );
  }
  return document;
}

function decodePointerSegment(segment: string): string {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A stray % is taken literally.
  }
  return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Follows local `$ref`s (`#/components/...`) inside one document. External references cannot be
 * fetched offline and come back as undefined, as do broken ones and reference loops.
 */
export class RefResolver {
  /** References that could not be followed, for the import notes. */
  readonly unresolved = new Set<string>();

  constructor(private readonly document: OpenApiObject) {}

  private lookup(ref: string): unknown {
    if (!ref.startsWith('#')) return undefined;
    const pointer = ref.slice(1);
    if (pointer === '') return this.document;
    if (!pointer.startsWith('/')) return undefined;
    let node: unknown = this.document;
    for (const raw of pointer.slice(1).split('/')) {
      const segment = decodePointerSegment(raw);
      if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
      else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment];
      else return undefined;
    }
    return node;
  }

  /** The object behind a chain of `$ref`s, or the value itself when it is not a reference. */
  resolve(value: unknown): OpenApiObject | undefined {
    let node = value;
    const seen = new Set<string>();
    while (isObject(node) && typeof node['$ref'] === 'string') {
      const ref = node['$ref'];
      if (seen.has(ref) || seen.size > 50) {
        this.unresolved.add(ref);
        return undefined;
      }
      seen.add(ref);
      const next = this.lookup(ref);
      if (next === undefined) {
        this.unresolved.add(ref);
        return undefined;
      }
      node = next;
    }
    return isObject(node) ? node : undefined;
  }
}
