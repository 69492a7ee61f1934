import type { ConnectorDefinitionInput } from '../definition.js';
import { field, httpTuningFields, secretField } from './build.js';

const input = (name: string, description: string, options: Record<string, unknown> = {}) =>
  ({ name, in: 'none', type: 'text', required: false, description, ...options }) as const;

const request = [
  input('path', 'Path after the base URL (or a full URL on the same host), e.g. /v1/employees.', { required: true }),
  input('query', 'Query parameters, e.g. {"page": 2}.', { type: 'object' }),
  input('headers', 'Extra headers, e.g. {"Accept": "application/json"}.', { type: 'object' }),
] as const;
const body = [
  input('body', 'The body: an object or list is sent as JSON, text as is.', { type: 'any' }),
  input('bodyType', 'How to send the body.', { options: ['json', 'form', 'text'], default: 'json' }),
] as const;
const response = [
  { name: 'status', type: 'number', from: 'status', description: 'The HTTP status.' },
  { name: 'headers', type: 'object', from: 'headers', description: 'Response headers (lower-case names).' },
  { name: 'body', type: 'any', from: 'body', description: 'Parsed JSON, or text.' },
] as const;
const verb = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', withBody: boolean) => ({
  name: method.toLowerCase(),
  title: method,
  kind: 'code' as const,
  method,
  description: `Sends a ${method} request.`,
  inputs: withBody ? [...request, ...body] : [...request],
  outputs: [...response],
});

/** Any HTTP API: raw requests, the usual verbs and paginate-all; the connection picks the auth scheme. */
export const httpConnector: ConnectorDefinitionInput = {
  id: 'http',
  name: 'HTTP',
  icon: '{ }',
  description: 'Calls any HTTP API.',
  baseUrl: '{{connection.baseUrl}}',
  fields: [
    field('baseUrl', 'Base URL', { type: 'url', description: 'e.g. https://hr.example.com/api' }),
    field('authScheme', 'Authentication', {
      options: ['none', 'basic', 'bearer', 'apiKeyHeader', 'apiKeyQuery', 'oauth2ClientCredentials'],
      default: 'none',
    }),
    field('username', 'User name (basic) or client id (OAuth)', { required: false }),
    field('apiKeyName', 'API key header or parameter name', { required: false }),
    field('tokenUrl', 'OAuth token URL', { type: 'url', required: false }),
    field('scope', 'OAuth scope', { required: false }),
    { ...secretField('secret', 'Password, token, API key or client secret'), required: false },
    ...httpTuningFields,
  ],
  auth: { scheme: 'fromConnection' },
  test: { method: 'GET', path: '/' },
  actions: [
    {
      name: 'request',
      title: 'Raw request',
      kind: 'code',
      description: 'Sends any request: method, path, query, headers and a JSON, form or text body.',
      inputs: [
        input('method', 'HTTP method.', {
          options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'],
          default: 'GET',
          required: true,
        }),
        ...request,
        ...body,
      ],
      outputs: [...response],
    },
    verb('GET', false),
    verb('POST', true),
    verb('PUT', true),
    verb('PATCH', true),
    verb('DELETE', false),
    {
      name: 'paginateAll',
      title: 'Get all pages',
      kind: 'code',
      description: 'Follows Link headers, cursors or offsets and returns every item.',
      inputs: [
        ...request,
        input('style', 'How the API pages.', {
          options: ['link', 'cursor', 'offset', 'nextUrl'],
          default: 'link',
          required: true,
        }),
        input('itemsPath', 'Where the items are in each page, e.g. data or Resources (empty: the whole body).'),
        input('cursorPath', 'cursor: where the next cursor is, e.g. meta.next_cursor.'),
        input('cursorParam', 'cursor: the query parameter that takes it, e.g. cursor.'),
        input('offsetParam', 'offset: e.g. offset or startIndex.'),
        input('limitParam', 'offset: e.g. limit or count.'),
        input('pageSize', 'offset: items per page.', { type: 'number', default: 100 }),
        input('nextUrlPath', 'nextUrl: where the next page’s URL is, e.g. links.next.'),
        input('maxPages', 'Stop with an error after this many pages.', { type: 'number', default: 1000 }),
      ],
      outputs: [{ name: 'items', type: 'list', from: 'items', description: 'Every item, from all pages.' }],
    },
  ],
};
