/**
 * A Salesforce REST API v60.0 emulator: OAuth 2.0 client credentials, sObject create / read /
 * update, and a SOQL subset with query-locator paging. Errors are arrays of
 * `{message, errorCode, fields}` with Salesforce's statuses (400, 401, 404).
 */
import {
  authToken,
  isRecord,
  matchRoute,
  randomId,
  route,
  startEmulatorServer,
  type EmulatorReply,
  type EmulatorRequest,
  type LoggedRequest,
} from './emulator-server.js';
import { SoqlError, matchesCondition, parseSoql } from './salesforce-soql.js';

export type SalesforceRecord = Record<string, unknown> & { Id: string };

export interface SalesforceObjectSchema {
  /** 3-character key prefix of record ids, e.g. 005 for User. */
  keyPrefix: string;
  fields: string[];
  required: string[];
  /** Values a new record gets when the request leaves them out. */
  defaults?: Record<string, unknown>;
}

export const defaultSalesforceSchema: Record<string, SalesforceObjectSchema> = {
  User: {
    keyPrefix: '005',
    fields: [
      'Username',
      'FirstName',
      'LastName',
      'Email',
      'Alias',
      'IsActive',
      'ProfileId',
      'UserRoleId',
      'ManagerId',
      'Title',
      'Department',
      'FederationIdentifier',
      'TimeZoneSidKey',
      'LocaleSidKey',
      'EmailEncodingKey',
      'LanguageLocaleKey',
    ],
    required: [
      'Username',
      'LastName',
      'Email',
      'Alias',
      'TimeZoneSidKey',
      'LocaleSidKey',
      'EmailEncodingKey',
      'ProfileId',
      'LanguageLocaleKey',
    ],
    defaults: { IsActive: true },
  },
  Profile: { keyPrefix: '00e', fields: ['Name'], required: ['Name'] },
  PermissionSet: { keyPrefix: '0PS', fields: ['Name', 'Label'], required: ['Name', 'Label'] },
  PermissionSetAssignment: {
    keyPrefix: '0Pa',
    fields: ['AssigneeId', 'PermissionSetId'],
    required: ['AssigneeId', 'PermissionSetId'],
  },
  Account: { keyPrefix: '001', fields: ['Name'], required: ['Name'] },
  Contact: {
    keyPrefix: '003',
    fields: ['FirstName', 'LastName', 'Email', 'AccountId', 'Title'],
    required: ['LastName'],
  },
};

export interface SalesforceEmulatorOptions {
  clientId?: string;
  clientSecret?: string;
  /** Records per query batch (Salesforce's default is 2000). */
  batchSize?: number;
  /** Extra or replacement sObject types. */
  schema?: Record<string, SalesforceObjectSchema>;
}

export interface SalesforceEmulator {
  url: string;
  /** A token valid from the start, for tests that skip the OAuth step. */
  token: string;
  clientId: string;
  clientSecret: string;
  /** sObject type → records by 18-character id. */
  state: { records: Map<string, Map<string, SalesforceRecord>> };
  requests: LoggedRequest[];
  stats: { tokenRequests: number; queries: number };
  seed: { record(type: string, fields: Record<string, unknown>): SalesforceRecord };
  /** Invalidates every session, so the next call gets 401 INVALID_SESSION_ID. */
  expireSessions(): void;
  close(): Promise<void>;
}

const apiBase = '/services/data/v60.0';
const idAlphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const suffixAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character suffix that makes a 15-character id case-insensitively unique. */
function eighteenCharacterId(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id15[chunk * 5 + i] as string)) bits |= 1 << i;
    suffix += suffixAlphabet[bits];
  }
  return id15 + suffix;
}

export function salesforceError(
  status: number,
  errorCode: string,
  message: string,
  fields: string[] = [],
): EmulatorReply {
  return { status, body: [{ message, errorCode, fields }] };
}

const notFound = () => salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');

export async function startSalesforceEmulator(options: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  const clientId = options.clientId ?? '3MVG9' + randomId(40);
  const clientSecret = options.clientSecret ?? randomId(40);
  const schema = { ...defaultSalesforceSchema, ...options.schema };
  const records = new Map<string, Map<string, SalesforceRecord>>(Object.keys(schema).map((type) => [type, new Map()]));
  const sessions = new Set<string>();
  const locators = new Map<string, unknown[]>();
  const stats = { tokenRequests: 0, queries: 0 };
  const orgId = eighteenCharacterId('00D' + randomId(12, idAlphabet));
  const staticToken = `${orgId}!${randomId(40)}`;
  sessions.add(staticToken);
  let url = '';

  /** Resolves a type name case-insensitively to its canonical spelling. */
  const typeName = (name: string) => Object.keys(schema).find((type) => type.toLowerCase() === name.toLowerCase());
  const fieldName = (type: string, name: string) =>
    ['Id', ...(schema[type]?.fields ?? [])].find((field) => field.toLowerCase() === name.toLowerCase());
  const recordUrl = (type: string, id: string) => `${apiBase}/sobjects/${type}/${id}`;
  /** Accepts a 15- or 18-character id, as the API does. */
  const findRecord = (type: string, id: string) =>
    [...(records.get(type)?.values() ?? [])].find((r) => r.Id === id || r.Id.slice(0, 15) === id);

  const checkFields = (type: string, body: Record<string, unknown>): EmulatorReply | undefined => {
    for (const key of Object.keys(body)) {
      if (key === 'attributes') continue;
      if (!fieldName(type, key) || key.toLowerCase() === 'id') {
        return salesforceError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${type}`, [key]);
      }
    }
    return undefined;
  };

  const insert = (type: string, fields: Record<string, unknown>): SalesforceRecord => {
    const objectSchema = schema[type] as SalesforceObjectSchema;
    const id = eighteenCharacterId(objectSchema.keyPrefix + randomId(12, idAlphabet));
    const record: SalesforceRecord = { ...objectSchema.defaults, Id: id };
    for (const [key, value] of Object.entries(fields)) record[fieldName(type, key) ?? key] = value;
    records.get(type)?.set(id, record);
    return record;
  };

  const projected = (type: string, record: SalesforceRecord, fields: string[]) => ({
    attributes: { type, url: recordUrl(type, record.Id) },
    ...Object.fromEntries(fields.map((field) => [field, record[field] ?? null])),
  });

  const batch = (all: unknown[], start: number, batchSize: number) => {
    const page = all.slice(start, start + batchSize);
    const done = start + batchSize >= all.length;
    const body: Record<string, unknown> = { totalSize: all.length, done, records: page };
    if (!done) {
      const locator = '01g' + randomId(15, idAlphabet);
      locators.set(locator, all);
      body.nextRecordsUrl = `${apiBase}/query/${locator}-${start + batchSize}`;
    }
    return { status: 200, body } satisfies EmulatorReply;
  };

  /** `Sforce-Query-Options: batchSize=n` is honoured within the documented 200–2000 range. */
  const batchSizeFor = (request: EmulatorRequest) => {
    const header = /batchSize=(\d+)/i.exec(String(request.headers['sforce-query-options'] ?? ''));
    if (header) return Math.min(2000, Math.max(200, Number(header[1])));
    return options.batchSize ?? 2000;
  };

  const query = (request: EmulatorRequest): EmulatorReply => {
    const soql = request.query.get('q');
    if (!soql) return salesforceError(400, 'MALFORMED_QUERY', 'A query string is required (q=)');
    stats.queries++;
    try {
      const parsed = parseSoql(soql);
      const type = typeName(parsed.objectType);
      if (!type) throw new SoqlError('INVALID_TYPE', `sObject type '${parsed.objectType}' is not supported.`);
      const canonical = (field: string) => {
        const found = fieldName(type, field);
        if (!found) throw new SoqlError('INVALID_FIELD', `No such column '${field}' on entity '${type}'.`);
        return found;
      };
      const fields = parsed.fields.map(canonical);
      const orderField = parsed.orderBy ? canonical(parsed.orderBy.field) : undefined;
      let matching = [...(records.get(type)?.values() ?? [])];
      if (parsed.where) {
        const where = parsed.where;
        matching = matching.filter((record) => matchesCondition(where, (field) => record[canonical(field)]));
      }
      if (orderField) {
        const direction = parsed.orderBy?.descending ? -1 : 1;
        matching.sort((a, b) => String(a[orderField] ?? '').localeCompare(String(b[orderField] ?? '')) * direction);
      }
      if (parsed.limit !== undefined) matching = matching.slice(0, parsed.limit);
      return batch(
        matching.map((record) => projected(type, record, fields)),
        0,
        batchSizeFor(request),
      );
    } catch (error) {
      if (error instanceof SoqlError) return salesforceError(400, error.errorCode, error.message);
      throw error;
    }
  };

  const routes = [
    route('GET', `${apiBase}/query`, query),
    route('GET', `${apiBase}/query/:locator`, (request) => {
      const [locator, offset] = (request.params.locator as string).split('-');
      const all = locators.get(locator ?? '');
      if (!all || !offset) return salesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      return batch(all, Number(offset), batchSizeFor(request));
    }),
    route('POST', `${apiBase}/sobjects/:type`, (request) => {
      const type = typeName(request.params.type as string);
      if (!type) return notFound();
      const body = isRecord(request.body) ? request.body : {};
      const invalid = checkFields(type, body);
      if (invalid) return invalid;
      const missing = (schema[type]?.required ?? []).filter((field) => {
        const key = Object.keys(body).find((k) => k.toLowerCase() === field.toLowerCase());
        return key === undefined || body[key] === null || body[key] === '';
      });
      if (missing.length > 0) {
        return salesforceError(
          400,
          'REQUIRED_FIELD_MISSING',
          `Required fields are missing: [${missing.join(', ')}]`,
          missing,
        );
      }
      if (type === 'User') {
        const username = String(Object.entries(body).find(([k]) => k.toLowerCase() === 'username')?.[1]).toLowerCase();
        if ([...(records.get('User')?.values() ?? [])].some((u) => String(u.Username).toLowerCase() === username)) {
          return salesforceError(
            400,
            'DUPLICATE_USERNAME',
            'Duplicate Username.<br>The username already exists in this or another Salesforce organization.',
            ['Username'],
          );
        }
      }
      const record = insert(type, body);
      return { status: 201, body: { id: record.Id, success: true, errors: [] } };
    }),
    route('GET', `${apiBase}/sobjects/:type/:id`, (request) => {
      const type = typeName(request.params.type as string);
      const record = type && findRecord(type, request.params.id as string);
      if (!type || !record) return notFound();
      const wanted = request.query.get('fields');
      const fields = wanted
        ? wanted.split(',').map((f) => fieldName(type, f.trim()))
        : ['Id', ...(schema[type]?.fields ?? [])];
      if (fields.some((f) => f === undefined)) {
        return salesforceError(400, 'INVALID_FIELD', `No such column on sobject of type ${type}`);
      }
      return { status: 200, body: projected(type, record, fields as string[]) };
    }),
    route('PATCH', `${apiBase}/sobjects/:type/:id`, (request) => {
      const type = typeName(request.params.type as string);
      const record = type && findRecord(type, request.params.id as string);
      if (!type || !record) return notFound();
      const body = isRecord(request.body) ? request.body : {};
      const invalid = checkFields(type, body);
      if (invalid) return invalid;
      for (const [key, value] of Object.entries(body))
        if (key !== 'attributes') record[fieldName(type, key) as string] = value;
      return { status: 204 };
    }),
    route('DELETE', `${apiBase}/sobjects/:type/:id`, (request) => {
      const type = typeName(request.params.type as string);
      const record = type && findRecord(type, request.params.id as string);
      if (!type || !record) return notFound();
      // Users can only be deactivated, never deleted.
      if (type === 'User')
        return salesforceError(
          405,
          'METHOD_NOT_ALLOWED',
          "HTTP Method 'DELETE' not allowed. Allowed are GET,PATCH,HEAD",
        );
      records.get(type)?.delete(record.Id);
      return { status: 204 };
    }),
  ];

  const tokenEndpoint = (request: EmulatorRequest): EmulatorReply => {
    stats.tokenRequests++;
    const form = isRecord(request.body) ? request.body : {};
    if (form.grant_type !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } };
    }
    if (form.client_id !== clientId || form.client_secret !== clientSecret) {
      return { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } };
    }
    const accessToken = `${orgId}!${randomId(40)}`;
    sessions.add(accessToken);
    // No expires_in: Salesforce does not say when a session ends; clients learn it from a 401.
    return {
      status: 200,
      body: {
        access_token: accessToken,
        signature: randomId(43),
        scope: 'api',
        instance_url: url,
        id: `${url}/id/${orgId}/005000000000000AAA`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
      },
    };
  };

  const server = await startEmulatorServer((request) => {
    if (request.method === 'POST' && request.path === '/services/oauth2/token') return tokenEndpoint(request);
    const presented = authToken(request.headers, 'Bearer') ?? authToken(request.headers, 'OAuth');
    if (!presented || !sessions.has(presented)) {
      return salesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    if (request.malformedBody) return salesforceError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
    const match = matchRoute(routes, request.method, request.path);
    if (match.kind === 'wrong-method')
      return salesforceError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${request.method}' not allowed`);
    if (match.kind === 'none') return notFound();
    return match.route.handler({ ...request, params: match.params });
  });
  url = server.url;

  return {
    url,
    token: staticToken,
    clientId,
    clientSecret,
    state: { records },
    requests: server.requests,
    stats,
    seed: {
      record: (type, fields) => {
        const canonical = typeName(type);
        if (!canonical) throw new Error(`Unknown sObject type ${type}`);
        return insert(canonical, fields);
      },
    },
    expireSessions: () => sessions.clear(),
    close: server.close,
  };
}
