import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectorFromOpenApi } from '../../../src/engine/connectors/openapi.js';
import { buildActionRequest } from '../../../src/engine/connectors/runtime/http-action.js';
import { connectorDefinitionSchema, type ConnectorDefinition } from '../../../src/shared/connectors/definition.js';
import { FlowsteadError } from '../../../src/shared/errors.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/openapi/${name}`, import.meta.url), 'utf8');
const hrPortal = fixture('hr-portal.yaml');
const ticketDesk = fixture('ticket-desk.json');

function actionOf(definition: ConnectorDefinition, name: string) {
  const action = definition.actions.find((a) => a.name === name);
  if (!action) throw new Error(`no action ${name} in ${definition.actions.map((a) => a.name).join(', ')}`);
  return action;
}

/** The FlowsteadError a call throws; fails the test when it throws anything else or nothing. */
function failureOf(call: () => unknown): FlowsteadError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(FlowsteadError);
    return error as FlowsteadError;
  }
  throw new Error('expected the call to fail');
}

const minimal = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'Mini', version: '1' },
    paths: { '/ping': { get: { responses: { '200': { description: 'ok' } } } } },
    ...extra,
  });

describe('connectorFromOpenApi: a YAML HR API with $refs and bearer auth', () => {
  const { definition, operations } = connectorFromOpenApi(hrPortal);

  it('produces a definition the connector schema accepts as it is', () => {
    expect(connectorDefinitionSchema.parse(definition)).toEqual(definition);
  });

  it('names the connector after info.title and points the base URL at the first server', () => {
    expect(definition.id).toBe('acme-hr-portal');
    expect(definition.name).toBe('Acme HR Portal');
    expect(definition.description).toContain('Employees, departments and time off');
    expect(definition.description).not.toContain('Long reference text');
    expect(definition.baseUrl).toBe('{{connection.baseUrl}}');
    expect(definition.fields[0]).toMatchObject({
      name: 'baseUrl',
      type: 'url',
      default: 'https://demo.hr.acme.example/api/v2',
    });
  });

  it('maps http bearer to a secret token field', () => {
    expect(definition.auth).toEqual({ scheme: 'bearer', token: '{{connection.token}}' });
    expect(definition.fields.find((f) => f.name === 'token')).toMatchObject({ secret: true, required: true });
  });

  it('lists every operation, generating ids from method and path where operationId is missing', () => {
    expect(operations).toEqual([
      { operationId: 'listEmployees', method: 'GET', path: '/employees', summary: 'List employees' },
      { operationId: 'createEmployee', method: 'POST', path: '/employees', summary: 'Create employee' },
      { operationId: 'getEmployee', method: 'GET', path: '/employees/{employee-id}', summary: 'Read employee' },
      {
        operationId: 'deleteEmployeesByEmployeeId',
        method: 'DELETE',
        path: '/employees/{employee-id}',
        summary: 'Remove employee',
      },
      {
        operationId: 'putEmployeesByEmployeeIdManager',
        method: 'PUT',
        path: '/employees/{employee-id}/manager',
        summary: 'Change manager',
      },
      { operationId: 'departmentsGet', method: 'GET', path: '/departments/{id}', summary: 'Read department' },
    ]);
    expect(definition.actions.map((a) => a.name)).toEqual(operations.map((o) => o.operationId));
  });

  it('turns query parameters, including $ref ones, into typed query inputs sent under their own names', () => {
    const list = actionOf(definition, 'listEmployees');
    expect(list).toMatchObject({
      title: 'List employees',
      description: 'Lists employees, newest first.',
      method: 'GET',
    });
    expect(list.inputs).toEqual([
      expect.objectContaining({ name: 'pageSize', in: 'query', target: 'page_size', type: 'number', default: 50 }),
      expect.objectContaining({ name: 'department', in: 'query', type: 'text', required: false }),
      expect.objectContaining({ name: 'updatedSince', in: 'query', target: 'updated-since', type: 'date' }),
      expect.objectContaining({ name: 'status', options: ['active', 'onLeave', 'terminated'] }),
    ]);
    expect(list.outputs.map((o) => [o.name, o.type, o.from])).toEqual([
      ['status', 'number', 'status'],
      ['body', 'object', 'body'],
      ['items', 'list', 'body.items'],
      ['total', 'number', 'body.total'],
      ['nextCursor', 'text', 'body.nextCursor'],
    ]);
  });

  it('renames path placeholders to input names and keeps path-level parameters and headers', () => {
    const read = actionOf(definition, 'getEmployee');
    expect(read.path).toBe('/employees/{employeeId}');
    expect(read.inputs).toEqual([
      expect.objectContaining({
        name: 'employeeId',
        in: 'path',
        required: true,
        description: 'The employee number, e.g. E-1042.',
      }),
      expect.objectContaining({ name: 'xRequestId', in: 'header', target: 'X-Request-ID', required: false }),
    ]);
    const request = buildActionRequest(read, { employeeId: 'E 1042', xRequestId: 'abc' });
    expect(request.path).toBe('/employees/E%201042');
    expect(request.headers).toEqual({ 'X-Request-ID': 'abc' });
  });

  it('spreads a JSON object body into body inputs, required per the schema', () => {
    const create = actionOf(definition, 'createEmployee');
    expect(create.inputs.map((i) => [i.name, i.type, i.required, i.in])).toEqual([
      ['firstName', 'text', true, 'body'],
      ['lastName', 'text', true, 'body'],
      ['email', 'text', true, 'body'],
      ['startDate', 'date', false, 'body'],
      ['department', 'object', false, 'body'],
      ['remote', 'boolean', false, 'body'],
      ['skills', 'list', false, 'body'],
    ]);
    // The 201 response is an allOf of the new employee and server-set fields; `status` does not hide the HTTP status.
    expect(create.outputs.map((o) => o.name)).toEqual(
      expect.arrayContaining(['status', 'body', 'firstName', 'id', 'bodyStatus', 'salary']),
    );
    expect(create.outputs.find((o) => o.name === 'bodyStatus')?.from).toBe('body.status');
    const request = buildActionRequest(create, { firstName: 'Ana', lastName: 'Lee', email: 'ana@acme.example' });
    expect(request.body).toEqual({
      kind: 'json',
      value: { firstName: 'Ana', lastName: 'Lee', email: 'ana@acme.example' },
    });
  });

  it('sends a body that is not an object with properties as one whole `body` input', () => {
    const manager = actionOf(definition, 'putEmployeesByEmployeeIdManager');
    expect(manager.inputs.at(-1)).toMatchObject({
      name: 'body',
      in: 'body',
      target: '$',
      type: 'list',
      required: false,
    });
  });

  it('reads a self-referencing schema without looping', () => {
    const department = actionOf(definition, 'departmentsGet');
    expect(department.inputs).toEqual([expect.objectContaining({ name: 'id', type: 'number', in: 'path' })]);
    expect(department.outputs.map((o) => [o.name, o.type])).toEqual([
      ['status', 'number'],
      ['body', 'object'],
      ['id', 'number'],
      ['name', 'text'],
      ['parent', 'object'],
      ['children', 'list'],
    ]);
  });

  it('tests the connection with the first GET that needs no inputs', () => {
    expect(definition.test).toEqual({ method: 'GET', path: '/employees' });
  });
});

describe('connectorFromOpenApi: a JSON API with OAuth 2 client credentials and an API key', () => {
  const { definition, operations } = connectorFromOpenApi(ticketDesk);

  it('passes the connector schema', () => {
    expect(connectorDefinitionSchema.parse(definition)).toEqual(definition);
  });

  it('avoids a built-in connector id and leaves a relative server without a default', () => {
    expect(definition.id).toBe('okta-api');
    const baseUrl = definition.fields.find((f) => f.name === 'baseUrl');
    expect(baseUrl?.default).toBeUndefined();
    expect(baseUrl?.description).toContain('`/api`');
  });

  it('uses the first security requirement: client credentials with the token URL and scopes as defaults', () => {
    expect(definition.auth).toEqual({
      scheme: 'oauth2ClientCredentials',
      tokenUrl: '{{connection.tokenUrl}}',
      clientId: '{{connection.clientId}}',
      clientSecret: '{{connection.clientSecret}}',
      scope: '{{connection.scope}}',
    });
    expect(definition.fields.map((f) => [f.name, f.secret, f.default])).toEqual([
      ['baseUrl', false, undefined],
      ['clientId', false, undefined],
      ['clientSecret', true, undefined],
      ['tokenUrl', false, 'https://login.desk.example/oauth/token'],
      ['scope', false, 'tickets.read tickets.write'],
    ]);
  });

  it('falls back to the API key header when client credentials are not offered', () => {
    const document = JSON.parse(ticketDesk) as { security: unknown[] };
    document.security = [{ deskKey: [] }];
    const { definition: keyed } = connectorFromOpenApi(JSON.stringify(document));
    expect(keyed.auth).toEqual({ scheme: 'apiKey', in: 'header', name: 'X-Desk-Key', value: '{{connection.apiKey}}' });
    expect(keyed.fields.find((f) => f.name === 'apiKey')).toMatchObject({ secret: true });
  });

  it('makes generated and duplicate operation ids unique and valid', () => {
    const ids = operations.map((o) => o.operationId);
    expect(ids).toEqual(['getTickets', 'createTicket', 'getTicket', 'getTicket2', 'listAssets', 'uploadAsset']);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
  });

  it('sends a URL-encoded body as form and keeps inputs clear of the card’s connection input', () => {
    const create = actionOf(definition, 'createTicket');
    expect(create.bodyType).toBe('form');
    expect(create.inputs).toEqual([
      expect.objectContaining({ name: 'subject', required: true }),
      expect.objectContaining({ name: 'priority', type: 'number', required: false }),
      expect.objectContaining({ name: 'bodyConnection', target: 'connection' }),
    ]);
    expect(buildActionRequest(create, { subject: 'VPN down', priority: 2 }).body).toEqual({
      kind: 'form',
      value: { subject: 'VPN down', priority: '2' },
    });
  });

  it('follows a $ref response and skips write-only fields in outputs', () => {
    const read = actionOf(definition, 'getTicket');
    expect(read.title).toBe('getTicket');
    expect(read.outputs.map((o) => o.name)).toEqual([
      'status',
      'body',
      'id',
      'subject',
      'bodyStatus',
      'bodyBody',
      'openedAt',
    ]);
  });

  it('reads a looping $ref as any value and says so', () => {
    const update = actionOf(definition, 'getTicket2');
    expect(update.inputs.at(-1)).toMatchObject({ name: 'body', type: 'any', target: '$' });
    expect(definition.description).toContain('#/components/schemas/Loop');
  });

  it('explains what it cannot send: cookies and multipart bodies', () => {
    expect(actionOf(definition, 'getTickets').description).toContain('`session`');
    expect(actionOf(definition, 'uploadAsset').description).toContain('multipart/form-data');
  });

  it('skips GETs with required inputs when choosing the connection test', () => {
    expect(definition.test).toEqual({ method: 'GET', path: '/assets' });
  });
});

describe('connectorFromOpenApi: picking operations', () => {
  it('imports only the picked operations but still lists them all', () => {
    const { definition, operations } = connectorFromOpenApi(hrPortal, {
      id: 'hr',
      operations: ['getEmployee', 'deleteEmployeesByEmployeeId'],
    });
    expect(definition.id).toBe('hr');
    expect(definition.actions.map((a) => a.name)).toEqual(['getEmployee', 'deleteEmployeesByEmployeeId']);
    expect(operations).toHaveLength(6);
  });

  it('accepts the document’s own operationId, e.g. with dots', () => {
    const { definition } = connectorFromOpenApi(hrPortal, { operations: ['departments.get'] });
    expect(definition.actions.map((a) => a.name)).toEqual(['departmentsGet']);
  });

  it('refuses an unknown pick, an empty pick and a built-in id', () => {
    expect(failureOf(() => connectorFromOpenApi(hrPortal, { operations: ['fireEveryone'] })).message).toContain(
      '`fireEveryone`',
    );
    expect(failureOf(() => connectorFromOpenApi(hrPortal, { operations: [] })).code).toBe('OPENAPI_NO_OPERATIONS');
    expect(failureOf(() => connectorFromOpenApi(hrPortal, { id: 'okta' })).code).toBe('CONNECTOR_ID_TAKEN');
    expect(failureOf(() => connectorFromOpenApi(hrPortal, { id: 'Bad Id' })).code).toBe('CONNECTOR_INVALID');
  });
});

describe('connectorFromOpenApi: documents it refuses or works around', () => {
  it('refuses Swagger 2.0 and says to convert it', () => {
    const error = failureOf(() =>
      connectorFromOpenApi('swagger: "2.0"\ninfo: {title: Old, version: "1"}\npaths: {}\n'),
    );
    expect(error.code).toBe('OPENAPI_INVALID');
    expect(error.message).toMatch(/Swagger 2\.0: convert it to OpenAPI 3 first/);
  });

  it('refuses invalid YAML and names the line', () => {
    const text =
      'openapi: 3.0.3\ninfo:\n  title: Broken\n  version: "1"\npaths:\n  /a:\n    get: {responses: {200: {description: ok}}\n  bad: [\n';
    const error = failureOf(() => connectorFromOpenApi(text));
    expect(error.code).toBe('OPENAPI_INVALID');
    expect(error.message).toMatch(/line \d+, column \d+/);
    expect(error.details?.['line']).toEqual(expect.any(Number));
  });

  it('names the line of broken JSON too', () => {
    const error = failureOf(() => connectorFromOpenApi('{\n  "openapi": "3.1.0",\n  "info": {,\n}'));
    expect(error.message).toContain('line 3');
  });

  it.each([
    ['an empty text', '   '],
    ['a plain list', '- a\n- b\n'],
    ['no openapi field', JSON.stringify({ info: { title: 'x' }, paths: {} })],
    ['OpenAPI 4', JSON.stringify({ openapi: '4.0.0', info: { title: 'x' }, paths: {} })],
    ['no operations', JSON.stringify({ openapi: '3.0.0', info: { title: 'x', version: '1' }, paths: {} })],
    ['paths that are not an object', JSON.stringify({ openapi: '3.0.0', info: { title: 'x' }, paths: ['/a'] })],
  ])('refuses %s with OPENAPI_INVALID', (_label, text) => {
    const error = failureOf(() => connectorFromOpenApi(text));
    expect(error.code).toBe('OPENAPI_INVALID');
    expect(error.message.length).toBeGreaterThan(30);
  });

  it('refuses a document over the size cap without parsing it', () => {
    const huge = `${minimal()}${' '.repeat(21_000_000)}`;
    expect(failureOf(() => connectorFromOpenApi(huge)).message).toContain('MB');
  });

  it('handles a cyclic $ref among parameters without hanging', () => {
    const text = minimal({
      paths: {
        '/ping': {
          get: {
            parameters: [{ $ref: '#/components/parameters/A' }, { name: 'q', in: 'query', schema: { $ref: '#/x/y' } }],
            responses: { '200': { description: 'ok' } },
          },
        },
      },
      components: {
        parameters: { A: { $ref: '#/components/parameters/B' }, B: { $ref: '#/components/parameters/A' } },
      },
    });
    const { definition } = connectorFromOpenApi(text);
    expect(definition.actions[0]?.inputs).toEqual([expect.objectContaining({ name: 'q', type: 'any' })]);
    expect(definition.description).toContain('could not be followed');
  });

  it('imports unsupported auth as none and says which scheme was skipped and why', () => {
    const text = minimal({
      security: [{ session: [] }, { sso: [] }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sid' },
          sso: {
            type: 'oauth2',
            flows: { authorizationCode: { authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {} } },
          },
        },
      },
    });
    const { definition } = connectorFromOpenApi(text);
    expect(definition.auth).toEqual({ scheme: 'none' });
    expect(definition.fields.map((f) => f.name)).toEqual(['baseUrl']);
    expect(definition.description).toMatch(/session \(the API key goes in a cookie.*\) was skipped/);
    expect(definition.description).toMatch(/sso \(OAuth 2 with authorizationCode needs a person to sign in/);
  });

  it('maps http basic to a username and a secret password', () => {
    const text = minimal({ components: { securitySchemes: { basic: { type: 'http', scheme: 'Basic' } } } });
    const { definition } = connectorFromOpenApi(text);
    expect(definition.auth).toEqual({
      scheme: 'basic',
      username: '{{connection.username}}',
      password: '{{connection.password}}',
    });
    expect(definition.fields.map((f) => [f.name, f.secret])).toEqual([
      ['baseUrl', false],
      ['username', false],
      ['password', true],
    ]);
  });

  it('slugs an odd title into a valid connector id', () => {
    const text = minimal({ info: { title: '365 Ümlaut Services — Intérieur (Beta)!', version: '1' } });
    const { definition } = connectorFromOpenApi(text);
    expect(definition.id).toBe('api-365-umlaut-services-interieur-beta');
    expect(definition.id).toMatch(/^[a-z][a-z0-9-]{1,40}$/);
  });
});
