import type { ConnectorAction } from '../../../shared/connectors/definition.js';
import { FlowsteadError } from '../../../shared/errors.js';
import type { ResolvedConnection } from '../connection-service.js';
import { withIdempotencyKey } from './idempotency.js';
import { collectAll, type PaginationStrategy } from '../http/pagination.js';
import type { HttpClient, HttpMethod, HttpRequest, QueryParams, RequestBody } from '../http/types.js';
import { testDirectoryConnection, withDirectory, type DirectorySettings } from '../ldap/index.js';
import { sendMail, testConnection as testSmtp, type SmtpSettings } from '../smtp/index.js';

export interface CodeActionCall {
  connection: ResolvedConnection;
  action: ConnectorAction;
  inputs: Record<string, unknown>;
  signal?: AbortSignal | undefined;
  stepKey?: string | undefined;
  client: () => HttpClient;
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const optionalText = (value: unknown): string | undefined => (text(value) === '' ? undefined : text(value));

function objectInput(inputs: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = inputs[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new FlowsteadError('CARD_INPUT_TYPE', `Input \`${name}\` must be an object, e.g. {"key": "value"}.`, {
      input: name,
    });
  }
  return value as Record<string, unknown>;
}

function requestBody(inputs: Record<string, unknown>): RequestBody | undefined {
  const body = inputs['body'];
  if (body === undefined || body === null || body === '') return undefined;
  const type = text(inputs['bodyType']) || 'json';
  if (type === 'text') return { kind: 'text', value: typeof body === 'string' ? body : JSON.stringify(body) };
  if (type === 'form') {
    const fields = objectInput(inputs, 'body') ?? {};
    return { kind: 'form', value: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, text(v)])) };
  }
  return { kind: 'json', value: body };
}

function httpRequest(inputs: Record<string, unknown>, method: HttpMethod): HttpRequest {
  const request: HttpRequest = {
    method,
    path: text(inputs['path']) || '/',
    query: (objectInput(inputs, 'query') ?? {}) as QueryParams,
    headers: Object.fromEntries(Object.entries(objectInput(inputs, 'headers') ?? {}).map(([k, v]) => [k, text(v)])),
  };
  const body = requestBody(inputs);
  if (body) request.body = body;
  return request;
}

function paginationStrategy(inputs: Record<string, unknown>): PaginationStrategy {
  const itemsPath = text(inputs['itemsPath']);
  const need = (name: string) => {
    const value = text(inputs[name]);
    if (value === '') {
      throw new FlowsteadError('CARD_INPUT_MISSING', `Paging style ${text(inputs['style'])} needs input \`${name}\`.`, {
        input: name,
      });
    }
    return value;
  };
  switch (text(inputs['style']) || 'link') {
    case 'cursor':
      return { kind: 'cursor', itemsPath, cursorPath: need('cursorPath'), cursorParam: need('cursorParam') };
    case 'offset':
      return {
        kind: 'offset',
        itemsPath,
        offsetParam: need('offsetParam'),
        limitParam: need('limitParam'),
        pageSize: Number(inputs['pageSize'] ?? 100) || 100,
      };
    case 'nextUrl':
      return { kind: 'nextUrl', itemsPath, nextUrlPath: need('nextUrlPath') };
    default:
      return { kind: 'link', ...(itemsPath ? { itemsPath } : {}) };
  }
}

async function runHttp({ action, inputs, signal, stepKey, client }: CodeActionCall): Promise<Record<string, unknown>> {
  if (action.name === 'paginateAll') {
    const maxPages = Number(inputs['maxPages'] ?? 1000) || 1000;
    const items = await collectAll(client(), httpRequest(inputs, 'GET'), paginationStrategy(inputs), {
      maxPages,
      ...(signal ? { signal } : {}),
    });
    return { items };
  }
  const method = (action.name === 'request' ? text(inputs['method']) || 'GET' : action.method).toUpperCase();
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].includes(method)) {
    throw new FlowsteadError(
      'CARD_INPUT_INVALID',
      `Input \`method\` must be GET, POST, PUT, PATCH, DELETE or HEAD, not ${method}.`,
      {
        input: 'method',
      },
    );
  }
  const response = await client().request(
    withIdempotencyKey(httpRequest(inputs, method as HttpMethod), stepKey),
    signal,
  );
  return { status: response.status, headers: response.headers, body: response.body ?? null };
}

function directorySettings(values: ResolvedConnection['values']): DirectorySettings {
  const caCert = optionalText(values['caCert']);
  const classes = text(values['userObjectClasses'])
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  return {
    ...(classes.length ? { userObjectClasses: classes } : {}),
    url: text(values['url']),
    bindDn: text(values['bindDn']),
    password: text(values['password']),
    baseDn: text(values['baseDn']),
    directory: text(values['directory']) === 'ldap' ? 'ldap' : 'activeDirectory',
    ...(caCert ? { tls: { caCert } } : {}),
  };
}

async function runLdap({ connection, action, inputs }: CodeActionCall): Promise<Record<string, unknown>> {
  const settings = directorySettings(connection.values);
  if (action.name === 'testConnection') return { ...(await testDirectoryConnection(settings)) };
  const dn = text(inputs['dn']);
  return withDirectory(settings, async (directory) => {
    switch (action.name) {
      case 'search': {
        const attributes = Array.isArray(inputs['attributes']) ? inputs['attributes'].map(text) : [];
        const scope = text(inputs['scope']) || 'sub';
        const entries = await directory.search({
          ...(optionalText(inputs['base']) ? { base: text(inputs['base']) } : {}),
          filter: text(inputs['filter']),
          scope: scope === 'one' || scope === 'base' ? scope : 'sub',
          attributes,
          sizeLimit: 0,
          paged: true,
        });
        return { entries };
      }
      case 'createUser':
        return {
          dn: await directory.createUser({
            parentDn: text(inputs['parentDn']),
            cn: text(inputs['cn']),
            attributes: (objectInput(inputs, 'attributes') ?? {}) as Record<string, string | string[]>,
          }),
        };
      case 'modifyAttributes': {
        const replace = objectInput(inputs, 'replace');
        const add = objectInput(inputs, 'add');
        const remove = objectInput(inputs, 'delete');
        await directory.modifyAttributes({
          dn,
          ...(replace ? { replace: replace as Record<string, string | string[]> } : {}),
          ...(add ? { add: add as Record<string, string | string[]> } : {}),
          ...(remove ? { delete: remove as Record<string, string | string[]> } : {}),
        });
        return {};
      }
      case 'enableUser':
      case 'disableUser':
        await directory.setEnabled({ dn, enabled: action.name === 'enableUser' });
        return {};
      case 'moveUser':
        return { dn: await directory.moveToOu({ dn, newParentDn: text(inputs['newParentDn']) }) };
      case 'addGroupMember':
      case 'removeGroupMember': {
        const membership = { groupDn: text(inputs['groupDn']), memberDn: text(inputs['memberDn']) };
        const result =
          action.name === 'addGroupMember'
            ? await directory.addGroupMember(membership)
            : await directory.removeGroupMember(membership);
        return { changed: result.changed };
      }
      case 'setPassword':
        await directory.setPassword({ dn, newPassword: text(inputs['newPassword']) });
        return {};
      default:
        throw new FlowsteadError('CONNECTOR_ACTION_NOT_FOUND', `The LDAP connector has no action \`${action.name}\`.`);
    }
  });
}

function smtpSettings(values: ResolvedConnection['values']): SmtpSettings {
  const security = text(values['security']);
  const caCert = optionalText(values['caCert']);
  return {
    host: text(values['host']),
    port: Number(values['port'] ?? 587),
    security: security === 'tls' || security === 'none' ? security : 'starttls',
    ...(optionalText(values['username']) ? { username: text(values['username']) } : {}),
    ...(optionalText(values['password']) ? { password: text(values['password']) } : {}),
    from: text(values['from']),
    ...(caCert ? { tls: { caCert } } : {}),
  };
}

const addressList = (value: unknown): string[] | undefined =>
  value === undefined || value === null || value === ''
    ? undefined
    : (Array.isArray(value) ? value.map(text) : text(value).split(',')).map((a) => a.trim()).filter(Boolean);

async function runSmtp({ connection, action, inputs }: CodeActionCall): Promise<Record<string, unknown>> {
  const settings = smtpSettings(connection.values);
  if (action.name === 'testConnection') return { ...(await testSmtp(settings)) };
  const rows = inputs['csvRows'];
  const cc = addressList(inputs['cc']);
  const bcc = addressList(inputs['bcc']);
  const sent = await sendMail(settings, {
    to: addressList(inputs['to']) ?? [],
    ...(cc ? { cc } : {}),
    ...(bcc ? { bcc } : {}),
    subject: text(inputs['subject']),
    ...(optionalText(inputs['text']) ? { text: text(inputs['text']) } : {}),
    ...(optionalText(inputs['html']) ? { html: text(inputs['html']) } : {}),
    ...(Array.isArray(rows)
      ? {
          attachments: [
            { filename: text(inputs['csvFilename']) || 'report.csv', csvRows: rows as Record<string, unknown>[] },
          ],
        }
      : {}),
  });
  return { messageId: sent.messageId, accepted: sent.accepted };
}

/** Actions written in code (other protocols, or HTTP requests shaped by the card's inputs). */
export function runCodeAction(call: CodeActionCall): Promise<Record<string, unknown>> {
  switch (call.connection.connector.id) {
    case 'http':
      return runHttp(call);
    case 'ldap':
      return runLdap(call);
    case 'smtp':
      return runSmtp(call);
    default:
      throw new FlowsteadError(
        'CONNECTOR_ACTION_NOT_FOUND',
        `Connector ${call.connection.connector.name} has no built-in code for action \`${call.action.name}\`.`,
      );
  }
}
