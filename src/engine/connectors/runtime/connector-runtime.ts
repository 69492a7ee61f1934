import { findDescriptor } from '../../../shared/cards/catalog.js';
import type { AuthSpec, ConnectorAction, ConnectorDefinition } from '../../../shared/connectors/definition.js';
import { CONNECTION_INPUT } from '../../../shared/connectors/definition.js';
import { FlowsteadError, serializeError } from '../../../shared/errors.js';
import type { CardImplementation } from '../../cards/types.js';
import type { ConnectionService, ResolvedConnection } from '../connection-service.js';
import type { ConnectorAuth } from '../http/auth.js';
import { createHttpClient } from '../http/http-client.js';
import { collectAll } from '../http/pagination.js';
import { redactSecrets } from '../http/redact.js';
import type { HttpClient } from '../http/types.js';
import { runCodeAction } from './code-actions.js';
import { buildActionRequest, readActionOutputs } from './http-action.js';
import { withIdempotencyKey } from './idempotency.js';
import { fillConnectionTemplate } from './templates.js';

type Values = ResolvedConnection['values'];

/** An optional numeric connection setting, when set to a positive number. */
function positive<T extends object>(value: unknown, use: (v: number) => T): T | Record<string, never> {
  const number = typeof value === 'number' ? value : Number(value);
  return value !== undefined && value !== '' && Number.isFinite(number) && number > 0 ? use(number) : {};
}

function authFromConnection(values: Values): ConnectorAuth {
  const text = (name: string) => (values[name] === undefined ? '' : String(values[name]));
  switch (text('authScheme') || 'none') {
    case 'basic':
      return { scheme: 'basic', username: text('username'), password: text('secret') };
    case 'bearer':
      return { scheme: 'bearer', token: text('secret') };
    case 'apiKeyHeader':
      return { scheme: 'apiKey', in: 'header', name: text('apiKeyName') || 'X-API-Key', value: text('secret') };
    case 'apiKeyQuery':
      return { scheme: 'apiKey', in: 'query', name: text('apiKeyName') || 'api_key', value: text('secret') };
    case 'oauth2ClientCredentials':
      return {
        scheme: 'oauth2ClientCredentials',
        tokenUrl: text('tokenUrl'),
        clientId: text('username'),
        clientSecret: text('secret'),
        ...(text('scope') ? { scope: text('scope') } : {}),
      };
    default:
      return { scheme: 'none' };
  }
}

/** The auth spec of a definition with the connection's values filled in. */
export function resolveAuth(spec: AuthSpec, values: Values): ConnectorAuth {
  const fill = (template: string) => fillConnectionTemplate(template, values, 'authentication');
  switch (spec.scheme) {
    case 'none':
      return { scheme: 'none' };
    case 'fromConnection':
      return authFromConnection(values);
    case 'basic':
      return { scheme: 'basic', username: fill(spec.username), password: fill(spec.password) };
    case 'bearer':
      return { scheme: 'bearer', token: fill(spec.token), ...(spec.prefix ? { prefix: spec.prefix } : {}) };
    case 'apiKey':
      return { scheme: 'apiKey', in: spec.in, name: spec.name, value: fill(spec.value) };
    case 'oauth2ClientCredentials':
      return {
        scheme: 'oauth2ClientCredentials',
        tokenUrl: fill(spec.tokenUrl),
        clientId: fill(spec.clientId),
        clientSecret: fill(spec.clientSecret),
        ...(spec.scope ? { scope: fill(spec.scope) } : {}),
        ...(spec.audience ? { audience: fill(spec.audience) } : {}),
        ...(spec.clientAuth ? { clientAuth: spec.clientAuth } : {}),
        ...(spec.extraParams
          ? { extraParams: Object.fromEntries(Object.entries(spec.extraParams).map(([k, v]) => [k, fill(v)])) }
          : {}),
      };
  }
}

/** Runs connector actions: resolves the card's connection, keeps one HTTP client per connection. */
export class ConnectorRuntime {
  private readonly clients = new Map<string, { revision: string; client: HttpClient }>();

  constructor(private readonly connections: ConnectionService) {}

  /** The card implementation for a connector action card type, if it is one. */
  implementationFor(type: string): CardImplementation | undefined {
    const descriptor = findDescriptor(type);
    if (!descriptor?.connector) return undefined;
    const connectorId = descriptor.connector.id;
    const actionName = type.slice(connectorId.length + 1);
    return {
      descriptor,
      run: (inputs, ctx) => this.runAction(connectorId, actionName, inputs, ctx.signal, ctx.stepKey),
    };
  }

  async runAction(
    connectorId: string,
    actionName: string,
    inputs: Record<string, unknown>,
    signal?: AbortSignal,
    stepKey?: string,
  ): Promise<Record<string, unknown>> {
    const connectionId = inputs[CONNECTION_INPUT];
    if (typeof connectionId !== 'string' || connectionId === '') {
      throw new FlowsteadError('CONNECTION_MISSING', 'Pick a connection on this card (input `connection`).', {
        input: CONNECTION_INPUT,
      });
    }
    const connection = await this.connections.resolve(connectionId, connectorId);
    const action = connection.connector.actions.find((a) => a.name === actionName);
    if (!action) {
      throw new FlowsteadError(
        'CONNECTOR_ACTION_NOT_FOUND',
        `${connection.connector.name} has no action \`${actionName}\`.`,
      );
    }
    try {
      if (action.kind === 'code') {
        return await runCodeAction({
          connection,
          action,
          inputs,
          signal,
          stepKey,
          client: () => this.client(connection),
        });
      }
      return await this.runHttpAction(connection, action, inputs, signal, stepKey);
    } catch (error) {
      throw scrubbed(error, connection.secretValues);
    }
  }

  /** The connection's Test button: a cheap authenticated call. */
  async test(connectionId: string): Promise<{ ok: boolean; message: string; durationMs: number }> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const stored = this.connections.get(connectionId);
    let secrets: string[] = [];
    try {
      const connection = await this.connections.resolve(connectionId, stored.connector);
      secrets = connection.secretValues;
      const { test } = connection.connector;
      // Connectors whose actions are all code and that name no HTTP test call (LDAP, SMTP) test in code.
      if (!test && connection.connector.actions.every((a) => a.kind === 'code')) {
        await runCodeAction({ connection, action: TEST_ACTION, inputs: {}, client: () => this.client(connection) });
      } else {
        const response = await this.client(connection).request({
          method: test?.method ?? 'GET',
          path: test?.path ?? '/',
        });
        return { ok: true, message: `Connected: ${response.status} from ${connection.name}.`, durationMs: elapsed() };
      }
      return { ok: true, message: `Connected to ${connection.name}.`, durationMs: elapsed() };
    } catch (error) {
      const problem = serializeError(scrubbed(error, secrets));
      return { ok: false, message: `${problem.code}: ${problem.message}`, durationMs: elapsed() };
    }
  }

  private client(connection: ResolvedConnection): HttpClient {
    const cached = this.clients.get(connection.id);
    if (cached && cached.revision === connection.revision) return cached.client;
    const definition: ConnectorDefinition = connection.connector;
    const client = createHttpClient({
      baseUrl: fillConnectionTemplate(definition.baseUrl, connection.values, 'the base URL'),
      auth: resolveAuth(definition.auth, connection.values),
      errorMapping: definition.errors,
      rateLimit: definition.rateLimit,
      ...positive(connection.values['timeoutSeconds'], (v) => ({ timeoutMs: v * 1000 })),
      ...positive(connection.values['maxConcurrency'], (v) => ({ maxConcurrency: Math.floor(v) })),
    });
    this.clients.set(connection.id, { revision: connection.revision, client });
    return client;
  }

  private async runHttpAction(
    connection: ResolvedConnection,
    action: ConnectorAction,
    inputs: Record<string, unknown>,
    signal?: AbortSignal,
    stepKey?: string,
  ): Promise<Record<string, unknown>> {
    const client = this.client(connection);
    const request = withIdempotencyKey(buildActionRequest(action, inputs), stepKey);
    if (action.paginate) {
      const items = await collectAll(client, request, action.paginate, signal ? { signal } : {});
      return readActionOutputs(action, undefined, items);
    }
    const response = await client.request(request, signal);
    return readActionOutputs(action, response, undefined);
  }
}

const TEST_ACTION = { name: 'testConnection', title: 'Test', kind: 'code' } as ConnectorAction;

/** A connector error with every secret value of the connection cut out. */
function scrubbed(error: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return error;
  const problem = serializeError(error);
  const message = redactSecrets(problem.message, secrets);
  const details = problem.details
    ? (JSON.parse(redactSecrets(JSON.stringify(problem.details), secrets)) as object)
    : undefined;
  return new FlowsteadError(problem.code, message, details as Record<string, unknown> | undefined);
}
