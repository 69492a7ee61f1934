import { BUILT_IN_CONNECTORS } from '../../shared/connectors/builtin/index.js';
import {
  CONNECTOR_ID_PATTERN,
  connectorDefinitionSchema,
  type ConnectorDefinition,
  type ConnectorDefinitionInput,
} from '../../shared/connectors/definition.js';
import { FlowsteadError } from '../../shared/errors.js';
import { actionFromOperation } from './openapi/actions.js';
import { authFromDocument, baseUrlField } from './openapi/connection.js';
import { isObject, readOpenApiDocument, RefResolver, textOf } from './openapi/document.js';
import { slugify } from './openapi/names.js';
import { listOperations, pickOperations, type OpenApiOperation } from './openapi/operations.js';
import { zodProblem } from './zod-problem.js';

/** An operation of the document as the import dialog lists it; `operationId` is what to pick. */
export interface OpenApiOperationSummary {
  operationId: string;
  method: string;
  path: string;
  summary: string;
}

export interface OpenApiImport {
  definition: ConnectorDefinition;
  operations: OpenApiOperationSummary[];
}

export interface OpenApiImportOptions {
  /** The connector id; by default made from `info.title`. */
  id?: string;
  /** The operations to turn into actions (listed `operationId`s); all when not given. */
  operations?: string[];
}

/** A connection test should be cheap and need nothing from the admin: a GET without required inputs. */
function testCall(operations: OpenApiOperation[], refs: RefResolver) {
  for (const op of operations) {
    if (op.method !== 'GET' || op.path.includes('{')) continue;
    const { inputs = [] } = actionFromOperation(op, refs);
    if (inputs.some((input) => input.required !== false)) continue;
    return { method: 'GET' as const, path: op.path };
  }
  return undefined;
}

function connectorId(requested: string | undefined, title: string, builtIn: ReadonlySet<string>): string {
  if (requested === undefined) return slugify(title, builtIn);
  if (!CONNECTOR_ID_PATTERN.test(requested)) {
    throw new FlowsteadError(
      'CONNECTOR_INVALID',
      `The connector id \`${requested}\` is not valid: use 2 to 41 lower-case letters, digits or hyphens, starting with a letter (e.g. hr-portal).`,
      { field: 'id' },
    );
  }
  if (builtIn.has(requested)) {
    throw new FlowsteadError(
      'CONNECTOR_ID_TAKEN',
      `The id \`${requested}\` belongs to a built-in connector; choose another id, e.g. \`${requested}-api\`.`,
      { field: 'id' },
    );
  }
  return requested;
}

function connectorDescription(info: Record<string, unknown>, version: string, notes: string[]): string {
  const about = textOf(info['summary']) || (textOf(info['description']).split(/\n\s*\n/)[0] ?? '');
  const shortAbout = about.length > 300 ? `${about.slice(0, 299).trimEnd()}…` : about;
  const apiVersion = textOf(info['version']);
  const origin = `Imported from OpenAPI ${version}${apiVersion ? ` (API version ${apiVersion})` : ''}.`;
  return [shortAbout, origin, ...notes].filter((part) => part !== '').join(' ');
}

/**
 * Turns an OpenAPI 3.0 / 3.1 description (JSON or YAML text) into a custom connector: one action
 * per picked operation, connection fields for the base URL and credentials, and the list of all
 * operations so the import dialog can offer a choice. Problems come back as FlowsteadError.
 */
export function connectorFromOpenApi(documentText: string, options: OpenApiImportOptions = {}): OpenApiImport {
  const document = readOpenApiDocument(documentText);
  const refs = new RefResolver(document);
  const info = isObject(document['info']) ? document['info'] : {};
  const title = textOf(info['title']) || 'Imported API';

  const all = listOperations(document, refs);
  if (all.length === 0) {
    throw new FlowsteadError(
      'OPENAPI_INVALID',
      'The document describes no operations under `paths` (get, post, put, patch, delete or head): a connector needs at least one. Import a description that includes its paths.',
      { field: 'paths' },
    );
  }
  const picked = pickOperations(all, options.operations);
  const actions = picked.map((op) => actionFromOperation(op, refs));
  const security = authFromDocument(document, picked, refs);
  const test = testCall(all, refs);
  const notes = [...security.notes];
  if (refs.unresolved.size > 0) {
    const shown = [...refs.unresolved].slice(0, 5).map((ref) => `\`${ref}\``);
    notes.push(
      `Some references could not be followed (${shown.join(', ')}${refs.unresolved.size > 5 ? ', …' : ''}): external or looping $refs are read as “any value”.`,
    );
  }

  const builtIn = new Set(BUILT_IN_CONNECTORS.map((connector) => connector.id));
  const input: ConnectorDefinitionInput = {
    id: connectorId(options.id, title, builtIn),
    name: title.length > 80 ? `${title.slice(0, 79).trimEnd()}…` : title,
    description: connectorDescription(info, String(document['openapi']), notes),
    baseUrl: '{{connection.baseUrl}}',
    fields: [baseUrlField(document), ...security.fields],
    auth: security.auth,
    errors: 'generic',
    ...(test ? { test } : {}),
    actions,
  };
  const parsed = connectorDefinitionSchema.safeParse(input);
  // A failure here is a bug in the import, but the admin still gets a message, not a stack trace.
  if (!parsed.success) throw zodProblem('OPENAPI_INVALID', 'The connector made from this document', parsed.error);
  return {
    definition: parsed.data,
    operations: all.map((op) => ({ operationId: op.name, method: op.method, path: op.path, summary: op.summary })),
  };
}
