import type { AuthSpec, ConnectionField } from '../../../shared/connectors/definition.js';
import { isObject, textOf, type OpenApiObject, type RefResolver } from './document.js';
import type { OpenApiOperation } from './operations.js';

type FieldDraft = Partial<ConnectionField> & Pick<ConnectionField, 'name' | 'title'>;

const field = (name: string, title: string, options: Partial<ConnectionField> = {}): FieldDraft => ({
  name,
  title,
  type: 'text',
  secret: false,
  required: true,
  description: '',
  ...options,
});

/** The `baseUrl` connection field, defaulting to the first server with its variables filled in. */
export function baseUrlField(document: OpenApiObject): FieldDraft {
  const servers = Array.isArray(document['servers']) ? document['servers'] : [];
  const server = isObject(servers[0]) ? servers[0] : undefined;
  const variables = isObject(server?.['variables']) ? server['variables'] : {};
  const url = textOf(server?.['url']).replace(/\{([^}]+)\}/g, (match, name: string) => {
    const variable = variables[name];
    const value = isObject(variable) ? variable['default'] : undefined;
    return typeof value === 'string' || typeof value === 'number' ? String(value) : match;
  });
  const absolute = /^https?:\/\//i.test(url);
  let description = 'Where the API lives, e.g. https://api.example.com/v1.';
  if (url && !absolute) {
    description = `The document gives only the relative address \`${url}\`: enter the full URL, e.g. https://your-server${url.startsWith('/') ? '' : '/'}${url}.`;
  }
  return field('baseUrl', 'Base URL', { type: 'url', description, ...(absolute ? { default: url } : {}) });
}

interface AuthChoice {
  auth: AuthSpec;
  fields: FieldDraft[];
  /** Schemes that were offered but cannot be used, with the reason, for the connector description. */
  notes: string[];
}

const template = (name: string) => `{{connection.${name}}}`;

/** One scheme as Flowstead auth, or the reason it cannot be used. */
function authFromScheme(scheme: OpenApiObject, scopes: string[]): Omit<AuthChoice, 'notes'> | string {
  const type = textOf(scheme['type']);
  const httpScheme = textOf(scheme['scheme']).toLowerCase();
  if (type === 'http' && httpScheme === 'basic') {
    return {
      auth: { scheme: 'basic', username: template('username'), password: template('password') },
      fields: [field('username', 'Username'), field('password', 'Password', { secret: true })],
    };
  }
  if (type === 'http' && httpScheme === 'bearer') {
    const description = textOf(scheme['description']) || 'The API token, sent as `Authorization: Bearer <token>`.';
    return {
      auth: { scheme: 'bearer', token: template('token') },
      fields: [field('token', 'Token', { secret: true, description })],
    };
  }
  if (type === 'http') return `HTTP ${httpScheme || 'auth'} is not supported (only basic and bearer are)`;
  if (type === 'apiKey') {
    const location = textOf(scheme['in']);
    const name = textOf(scheme['name']);
    if ((location === 'header' || location === 'query') && name) {
      return {
        auth: { scheme: 'apiKey', in: location, name, value: template('apiKey') },
        fields: [
          field('apiKey', 'API key', {
            secret: true,
            description: textOf(scheme['description']) || `Sent as the ${location} \`${name}\`.`,
          }),
        ],
      };
    }
    return location === 'cookie'
      ? 'the API key goes in a cookie, which connectors cannot send'
      : 'the API key has no usable `in` and `name`';
  }
  if (type === 'oauth2') {
    const flows = isObject(scheme['flows']) ? scheme['flows'] : {};
    const flow = isObject(flows['clientCredentials']) ? flows['clientCredentials'] : undefined;
    if (!flow) {
      const offered = Object.keys(flows).join(', ') || 'no flows';
      return `OAuth 2 with ${offered} needs a person to sign in; connectors support the client-credentials flow only`;
    }
    const tokenUrl = textOf(flow['tokenUrl']);
    const scope = scopes.length > 0 ? scopes.join(' ') : '';
    return {
      auth: {
        scheme: 'oauth2ClientCredentials',
        tokenUrl: template('tokenUrl'),
        clientId: template('clientId'),
        clientSecret: template('clientSecret'),
        ...(scope ? { scope: template('scope') } : {}),
      },
      fields: [
        field('clientId', 'Client ID'),
        field('clientSecret', 'Client secret', { secret: true }),
        field('tokenUrl', 'Token URL', {
          type: 'url',
          description: 'Where client credentials are exchanged for an access token.',
          ...(/^https?:\/\//i.test(tokenUrl) ? { default: tokenUrl } : {}),
        }),
        ...(scope ? [field('scope', 'Scope', { default: scope, description: 'Space-separated OAuth scopes.' })] : []),
      ],
    };
  }
  if (type === 'openIdConnect') return 'OpenID Connect needs a person to sign in';
  if (type === 'mutualTLS') return 'mutual TLS client certificates are not supported';
  return `the scheme type \`${type || 'missing'}\` is unknown`;
}

/** Security requirements in preference order: top-level, then the operations' own. */
function requirementsOf(document: OpenApiObject, operations: OpenApiOperation[]): OpenApiObject[] {
  const topLevel = document['security'];
  if (Array.isArray(topLevel)) return topLevel.filter(isObject);
  return operations
    .flatMap((op) => (Array.isArray(op.operation['security']) ? op.operation['security'] : []))
    .filter(isObject);
}

/** Picks the first usable security scheme; the ones skipped are explained in notes. */
export function authFromDocument(
  document: OpenApiObject,
  operations: OpenApiOperation[],
  refs: RefResolver,
): AuthChoice {
  const components = isObject(document['components']) ? document['components'] : {};
  const schemes = isObject(components['securitySchemes']) ? components['securitySchemes'] : {};
  let requirements = requirementsOf(document, operations);
  // Without any `security`, the declared schemes are still the best hint of how to sign in.
  if (requirements.length === 0 && document['security'] === undefined) {
    requirements = Object.keys(schemes).map((name) => ({ [name]: [] }));
  }
  const skipped: string[] = [];
  for (const requirement of requirements) {
    const names = Object.keys(requirement);
    if (names.length !== 1) {
      if (names.length > 1) skipped.push(`${names.join(' + ')} (several schemes at once are not supported)`);
      continue;
    }
    const name = names[0]!;
    const scheme = refs.resolve(schemes[name]);
    const rawScopes = requirement[name];
    const scopes = Array.isArray(rawScopes) ? rawScopes.filter((s): s is string => typeof s === 'string') : [];
    const result = scheme ? authFromScheme(scheme, scopes) : 'it is not defined under components.securitySchemes';
    if (typeof result !== 'string') return { ...result, notes: [] };
    if (!skipped.some((note) => note.startsWith(`${name} `))) skipped.push(`${name} (${result})`);
  }
  const notes = skipped.map(
    (note) => `Authentication ${note} was skipped: set it up by hand, e.g. an API token sent as a header.`,
  );
  return { auth: { scheme: 'none' }, fields: [], notes };
}
