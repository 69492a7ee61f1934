import { z } from 'zod';
import { jsonValueSchema } from '../flow/schema.js';
import { VALUE_TYPES } from '../values.js';

/**
 * A connector is data: how to authenticate, where the service lives, and its actions. Built-in
 * HTTP connectors (Okta, SCIM, Slack, Box, Salesforce, HTTP) and custom ones an admin defines or
 * imports from OpenAPI share this shape and one runtime. LDAP and SMTP speak other protocols:
 * their actions are `kind: 'code'` and run built-in code, but are declared the same way.
 */

const identifier = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9]*$/, 'use letters and digits, starting with a lower-case letter (e.g. createUser)');

export const CONNECTOR_ID_PATTERN = /^[a-z][a-z0-9-]{1,40}$/;
const connectorId = z
  .string()
  .regex(
    CONNECTOR_ID_PATTERN,
    'use 2 to 41 lower-case letters, digits or hyphens, starting with a letter (e.g. hr-portal)',
  );

/** A field of a connection: settings go to SQLite, `secret` fields only to the OS keychain. */
export const connectionFieldSchema = z.object({
  name: identifier,
  title: z.string().min(1),
  type: z.enum(['text', 'url', 'number', 'boolean']).default('text'),
  secret: z.boolean().default(false),
  required: z.boolean().default(true),
  description: z.string().default(''),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  options: z.array(z.string()).optional(),
});
export type ConnectionField = z.infer<typeof connectionFieldSchema>;

/**
 * Authentication, with `{{connection.field}}` templates for the values, so the scheme says how
 * and the connection's fields say what (e.g. `token: '{{connection.apiToken}}'`).
 */
export const authSpecSchema = z.discriminatedUnion('scheme', [
  z.object({ scheme: z.literal('none') }),
  /** The connection picks the scheme (generic HTTP): fields authScheme, username, password, token, … */
  z.object({ scheme: z.literal('fromConnection') }),
  z.object({ scheme: z.literal('basic'), username: z.string(), password: z.string() }),
  z.object({ scheme: z.literal('bearer'), token: z.string(), prefix: z.string().optional() }),
  z.object({
    scheme: z.literal('apiKey'),
    in: z.enum(['header', 'query']),
    name: z.string().min(1),
    value: z.string(),
  }),
  z.object({
    scheme: z.literal('oauth2ClientCredentials'),
    tokenUrl: z.string(),
    clientId: z.string(),
    clientSecret: z.string(),
    scope: z.string().optional(),
    audience: z.string().optional(),
    /** How the client id and secret reach the token endpoint: 'basic' header (default, RFC 6749 §2.3.1) or form 'body' (Box, Salesforce). */
    clientAuth: z.enum(['body', 'basic']).optional(),
    extraParams: z.record(z.string(), z.string()).optional(),
  }),
]);
export type AuthSpec = z.infer<typeof authSpecSchema>;

export const paginationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('link'), itemsPath: z.string().optional() }),
  z.object({ kind: z.literal('cursor'), itemsPath: z.string(), cursorPath: z.string(), cursorParam: z.string() }),
  z.object({
    kind: z.literal('offset'),
    itemsPath: z.string(),
    offsetParam: z.string(),
    limitParam: z.string(),
    pageSize: z.number().int().positive(),
    startAt: z.union([z.literal(0), z.literal(1)]).optional(),
    totalPath: z.string().optional(),
  }),
  z.object({ kind: z.literal('nextUrl'), itemsPath: z.string(), nextUrlPath: z.string() }),
]);

/** Where an action input goes in the request. `target` is a dotted path in the JSON body. */
export const actionInputSchema = z.object({
  name: identifier,
  title: z.string().optional(),
  type: z.enum(VALUE_TYPES).default('text'),
  required: z.boolean().default(true),
  description: z.string().default(''),
  options: z.array(z.string()).optional(),
  default: jsonValueSchema.optional(),
  multiline: z.boolean().optional(),
  in: z.enum(['path', 'query', 'body', 'header', 'none']).default('body'),
  /**
   * Parameter, header or body path; defaults to the input's name. In the body, a dotted path
   * (`profile.firstName`, `Operations.0.value`) and `$` for the whole body; objects merge.
   */
  target: z.string().optional(),
  /** Text around the value, `{value}` marking its place, e.g. `user.id eq "{value}"`. */
  format: z.string().optional(),
});
export type ActionInput = z.infer<typeof actionInputSchema>;

/** An output read from the response: `body.id`, `body`, `status`, `headers.location`, or `items` when paginated. */
export const actionOutputSchema = z.object({
  name: identifier,
  title: z.string().optional(),
  type: z.enum(VALUE_TYPES).default('any'),
  description: z.string().default(''),
  from: z.string().default('body'),
});

export const actionSchema = z.object({
  name: identifier,
  title: z.string().min(1),
  description: z.string().default(''),
  kind: z.enum(['http', 'code']).default('http'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
  /** Path relative to the base URL with `{input}` placeholders, e.g. `/api/v1/users/{userId}`. */
  path: z.string().default('/'),
  bodyType: z.enum(['json', 'form']).default('json'),
  /** Fixed parts of the request, merged under the inputs. */
  fixedQuery: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  fixedBody: jsonValueSchema.optional(),
  fixedHeaders: z.record(z.string(), z.string()).optional(),
  inputs: z.array(actionInputSchema).default([]),
  outputs: z.array(actionOutputSchema).default([]),
  /** Fetch every page and return them as the `items` output. */
  paginate: paginationSchema.optional(),
  /** Statuses that are not errors, e.g. 404 for a lookup that may find nothing. */
  acceptStatuses: z.array(z.number().int()).optional(),
  /** Reads change nothing; writes are side effects recorded before the run moves on. */
  effect: z.enum(['nondeterministic', 'sideEffect']).optional(),
});
export type ConnectorAction = z.infer<typeof actionSchema>;

export const connectorDefinitionSchema = z.object({
  id: connectorId,
  name: z.string().min(1).max(80),
  description: z.string().default(''),
  /** A short mark for the palette and cards: an emoji or up to 3 letters. */
  icon: z.string().max(8).default('API'),
  /** Base URL, usually from a connection field: `{{connection.baseUrl}}` or `https://{{connection.domain}}`. */
  baseUrl: z.string().default('{{connection.baseUrl}}'),
  fields: z.array(connectionFieldSchema).default([]),
  auth: authSpecSchema.default({ scheme: 'none' }),
  errors: z.enum(['okta', 'scim', 'slack', 'box', 'salesforce', 'generic']).default('generic'),
  rateLimit: z.enum(['okta', 'retryAfter']).default('retryAfter'),
  /** A cheap authenticated call the Test button makes. */
  test: z.object({ method: z.enum(['GET', 'POST']).default('GET'), path: z.string() }).optional(),
  actions: z.array(actionSchema).min(1, 'a connector needs at least one action'),
});
export type ConnectorDefinition = z.infer<typeof connectorDefinitionSchema>;
export type ConnectorDefinitionInput = z.input<typeof connectorDefinitionSchema>;

/** Connection settings as the engine keeps them: never the secret fields. */
export const connectionSchema = z.object({
  id: z.string().min(1).max(100),
  connector: connectorId,
  name: z.string().min(1).max(100),
  settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** Names of the secret fields that hold a value in the keychain (values never leave the engine). */
  secretsSet: z.array(z.string()),
  updatedAt: z.string(),
});
export type Connection = z.infer<typeof connectionSchema>;

/** The card type of a connector action: `okta.createUser`, `custom-hr.getEmployee`. */
export function actionCardType(connectorIdValue: string, action: string): string {
  return `${connectorIdValue}.${action}`;
}

/** The name of every connector card's connection input. */
export const CONNECTION_INPUT = 'connection';
