import { CONNECTION_INPUT, type ConnectorDefinitionInput } from '../../../shared/connectors/definition.js';
import { isObject, textOf, type OpenApiObject, type RefResolver } from './document.js';
import { NameScope, toIdentifier } from './names.js';
import type { OpenApiOperation } from './operations.js';
import { enumOptionsOf, objectShapeOf, simpleDefaultOf, valueTypeOf } from './schemas.js';

type ActionDraft = ConnectorDefinitionInput['actions'][number];
type InputDraft = NonNullable<ActionDraft['inputs']>[number];
type OutputDraft = NonNullable<ActionDraft['outputs']>[number];

/** Past this many properties one `body` object input is easier to fill than a wall of fields. */
export const MAX_BODY_INPUTS = 25;
/** Response properties offered as separate outputs; the whole body is always there too. */
export const MAX_RESPONSE_OUTPUTS = 20;
const MAX_DESCRIPTION = 1000;

/** HTTP sets these itself; OpenAPI says to ignore them as parameters. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The schema of a parameter, from `schema` or from its single `content` entry. */
function parameterSchema(parameter: OpenApiObject, refs: RefResolver): OpenApiObject | undefined {
  if (parameter['schema'] !== undefined) return refs.resolve(parameter['schema']);
  const content = isObject(parameter['content']) ? Object.values(parameter['content']) : [];
  const first = content.find(isObject);
  return first ? refs.resolve(first['schema']) : undefined;
}

/** Path-level parameters, overridden by operation-level ones with the same name and location. */
function parametersOf(op: OpenApiOperation, refs: RefResolver): OpenApiObject[] {
  const byKey = new Map<string, OpenApiObject>();
  for (const raw of [...list(op.pathItem['parameters']), ...list(op.operation['parameters'])]) {
    const parameter = refs.resolve(raw);
    const name = textOf(parameter?.['name']);
    const location = textOf(parameter?.['in']);
    if (!parameter || !name || !location) continue;
    byKey.set(`${location}:${location === 'header' ? name.toLowerCase() : name}`, parameter);
  }
  return [...byKey.values()];
}

function parameterInput(
  parameter: OpenApiObject,
  location: 'path' | 'query' | 'header',
  name: string,
  refs: RefResolver,
): InputDraft {
  const original = textOf(parameter['name']);
  const schema = parameterSchema(parameter, refs);
  const options = enumOptionsOf(schema);
  const fallback = simpleDefaultOf(schema);
  const where = location === 'path' ? 'in the path' : location === 'query' ? 'as a query parameter' : 'as a header';
  return {
    name,
    type: valueTypeOf(schema, refs),
    required: location === 'path' || parameter['required'] === true,
    description:
      textOf(parameter['description']) || textOf(schema?.['description']) || `Sent ${where} (\`${original}\`).`,
    in: location,
    ...(location !== 'path' && original !== name ? { target: original } : {}),
    ...(options ? { options } : {}),
    ...(fallback !== undefined ? { default: fallback } : {}),
  };
}

const JSON_MEDIA = /^application\/([\w.-]+\+)?json\b/i;
const FORM_MEDIA = /^application\/x-www-form-urlencoded\b/i;

/** The JSON (or form) request body as inputs: one per top-level property, or one whole `body`. */
function bodyInputs(
  op: OpenApiOperation,
  refs: RefResolver,
  names: NameScope,
  notes: string[],
): { inputs: InputDraft[]; bodyType: 'json' | 'form' } {
  const requestBody = refs.resolve(op.operation['requestBody']);
  const content = isObject(requestBody?.['content']) ? requestBody['content'] : {};
  const mediaTypes = Object.keys(content);
  const media = mediaTypes.find((type) => JSON_MEDIA.test(type)) ?? mediaTypes.find((type) => FORM_MEDIA.test(type));
  if (!requestBody || !media) {
    if (mediaTypes.length > 0) {
      notes.push(
        `Its request body (${mediaTypes.join(', ')}) is neither JSON nor URL-encoded form, so this action sends no body: edit the connector to add one.`,
      );
    }
    return { inputs: [], bodyType: 'json' };
  }
  const bodyType = FORM_MEDIA.test(media) ? 'form' : 'json';
  const mediaObject = isObject(content[media]) ? content[media] : {};
  const schema = mediaObject['schema'];
  const shape = objectShapeOf(schema, refs);
  // readOnly properties are what the server fills in (ids, timestamps): never sent.
  const properties = shape?.properties.filter(([key, property]) => property['readOnly'] !== true && !key.includes('.'));
  if (shape && properties && properties.length > 0 && properties.length <= MAX_BODY_INPUTS) {
    return {
      bodyType,
      inputs: properties.map(([key, property]): InputDraft => {
        const name = names.claim(toIdentifier(key, 'field'), 'body');
        const options = enumOptionsOf(property);
        return {
          name,
          type: valueTypeOf(property, refs),
          required: shape.required.has(key) && requestBody['required'] !== false,
          description: textOf(property['description']) || `The \`${key}\` field of the request body.`,
          in: 'body',
          ...(key !== name ? { target: key } : {}),
          ...(options ? { options } : {}),
        };
      }),
    };
  }
  const resolved = refs.resolve(schema);
  return {
    bodyType,
    inputs: [
      {
        name: names.claim('body', 'request'),
        type: schema === undefined ? 'object' : valueTypeOf(schema, refs),
        required: requestBody['required'] === true,
        description:
          textOf(requestBody['description']) || textOf(resolved?.['description']) || 'The whole request body, as JSON.',
        in: 'body',
        target: '$',
      },
    ],
  };
}

/** Outputs: the status, the whole body, and the top-level fields of a 200/201 JSON object. */
function outputsOf(op: OpenApiOperation, refs: RefResolver): OutputDraft[] {
  const responses = isObject(op.operation['responses']) ? op.operation['responses'] : {};
  const response = refs.resolve(responses['200'] ?? responses['201']);
  const content = isObject(response?.['content']) ? response['content'] : {};
  const media = Object.keys(content).find((type) => JSON_MEDIA.test(type));
  const mediaObject = media && isObject(content[media]) ? content[media] : undefined;
  const schema = mediaObject?.['schema'];
  const outputs: OutputDraft[] = [
    { name: 'status', type: 'number', from: 'status', description: 'The HTTP status.' },
    {
      name: 'body',
      type: schema === undefined ? 'any' : valueTypeOf(schema, refs),
      from: 'body',
      description: textOf(response?.['description']) || 'The response body.',
    },
  ];
  const names = new NameScope(['status', 'body']);
  const properties = objectShapeOf(schema, refs)?.properties ?? [];
  for (const [key, property] of properties.filter(([k, p]) => p['writeOnly'] !== true && !k.includes('.'))) {
    if (outputs.length >= MAX_RESPONSE_OUTPUTS + 2) break;
    outputs.push({
      name: names.claim(toIdentifier(key, 'field'), 'body'),
      type: valueTypeOf(property, refs),
      from: `body.${key}`,
      description: textOf(property['description']),
    });
  }
  return outputs;
}

/** One OpenAPI operation as a declarative connector action. */
export function actionFromOperation(op: OpenApiOperation, refs: RefResolver): ActionDraft {
  const names = new NameScope([CONNECTION_INPUT]);
  const notes: string[] = [];
  const parameters = parametersOf(op, refs);
  const inputs: InputDraft[] = [];

  // Path placeholders are renamed to input names in one pass, so `{user-id}` becomes `{userId}`.
  const placeholders = new Map<string, string>();
  for (const [, original] of op.path.matchAll(/\{([^}]+)\}/g)) {
    if (placeholders.has(original!)) continue;
    const name = names.claim(toIdentifier(original!, 'id'));
    placeholders.set(original!, name);
    const declared = parameters.find((p) => p['in'] === 'path' && p['name'] === original);
    inputs.push(
      parameterInput(
        declared ?? { name: original, in: 'path', required: true, schema: { type: 'string' } },
        'path',
        name,
        refs,
      ),
    );
  }
  const path = op.path.replace(/\{([^}]+)\}/g, (_match, original: string) => `{${placeholders.get(original)}}`);

  for (const location of ['query', 'header'] as const) {
    for (const parameter of parameters.filter((p) => p['in'] === location)) {
      const original = textOf(parameter['name']);
      if (location === 'header' && IGNORED_HEADERS.has(original.toLowerCase())) continue;
      inputs.push(parameterInput(parameter, location, names.claim(toIdentifier(original, location)), refs));
    }
  }
  const cookies = parameters.filter((p) => p['in'] === 'cookie').map((p) => `\`${textOf(p['name'])}\``);
  if (cookies.length > 0) notes.push(`Cookie parameters are not sent: ${cookies.join(', ')}.`);

  const body = bodyInputs(op, refs, names, notes);
  inputs.push(...body.inputs);

  const description = [
    op.operation['deprecated'] === true ? 'Deprecated by the API.' : '',
    shorten(textOf(op.operation['description']), MAX_DESCRIPTION),
    ...notes,
  ]
    .filter((part) => part !== '')
    .join(' ');
  return {
    name: op.name,
    title: shorten(op.summary || op.operationId || op.name, 120),
    description,
    method: op.method,
    path,
    ...(body.bodyType === 'form' ? { bodyType: 'form' as const } : {}),
    inputs,
    outputs: outputsOf(op, refs),
  };
}
