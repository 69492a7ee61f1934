import { FlowsteadError } from '../../../shared/errors.js';
import { createClientCredentialsTokens, type ClientCredentialsAuth } from './oauth-client-credentials.js';

/** How a connection proves who it is. Secrets stay in these values; nothing here logs them. */
export type ConnectorAuth =
  | { scheme: 'none' }
  | { scheme: 'basic'; username: string; password: string }
  /** `prefix` defaults to 'Bearer'; Okta API tokens use 'SSWS'. */
  | { scheme: 'bearer'; token: string; prefix?: string }
  | { scheme: 'apiKey'; in: 'header' | 'query'; name: string; value: string }
  | ClientCredentialsAuth;

/** What one request must carry to be authenticated. */
export interface AppliedAuth {
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Identifies the credential used, so a 401 renews only a token nobody has renewed yet. */
  credentialId: number;
}

export interface Authenticator {
  apply(signal?: AbortSignal): Promise<AppliedAuth>;
  /** After a 401: drops a cached token and says whether one retry with a fresh token can help. */
  renewAfterUnauthorized(used: AppliedAuth): boolean;
  /** Every secret value currently in play, for redaction (includes fetched access tokens). */
  secrets(): string[];
}

export interface AuthenticatorDependencies {
  timeoutMs: number;
  now: () => number;
}

export function createAuthenticator(auth: ConnectorAuth, dependencies: AuthenticatorDependencies): Authenticator {
  checkAuth(auth);
  switch (auth.scheme) {
    case 'none':
      return fixed({ headers: {}, query: {} }, []);
    case 'basic': {
      const encoded = Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64');
      return fixed({ headers: { Authorization: `Basic ${encoded}` }, query: {} }, [auth.password, encoded]);
    }
    case 'bearer':
      return fixed({ headers: { Authorization: `${auth.prefix ?? 'Bearer'} ${auth.token}` }, query: {} }, [auth.token]);
    case 'apiKey':
      return auth.in === 'header'
        ? fixed({ headers: { [auth.name]: auth.value }, query: {} }, [auth.value])
        : fixed({ headers: {}, query: { [auth.name]: auth.value } }, [auth.value]);
    case 'oauth2ClientCredentials':
      return clientCredentials(auth, dependencies);
  }
}

function fixed(applied: Omit<AppliedAuth, 'credentialId'>, secrets: string[]): Authenticator {
  const result: AppliedAuth = { ...applied, credentialId: 0 };
  return {
    apply: () => Promise.resolve(result),
    // A static credential that got a 401 will get it again; retrying only burns rate limit.
    renewAfterUnauthorized: () => false,
    secrets: () => secrets,
  };
}

function clientCredentials(auth: ClientCredentialsAuth, dependencies: AuthenticatorDependencies): Authenticator {
  const tokens = createClientCredentialsTokens(auth, dependencies);
  return {
    async apply(signal) {
      const token = await tokens.current(signal);
      return { headers: { Authorization: `Bearer ${token.accessToken}` }, query: {}, credentialId: token.id };
    },
    renewAfterUnauthorized(used) {
      tokens.discard(used.credentialId);
      return true;
    },
    secrets: () => [auth.clientSecret, ...tokens.knownAccessTokens()],
  };
}

/** Catches an incomplete connection before any request, naming the field to fill in. */
function checkAuth(auth: ConnectorAuth): void {
  const missing = (field: string): never => {
    throw new FlowsteadError(
      'CONNECTION_AUTH',
      `The connection's ${field} is empty; fill it in on the connection's settings.`,
      { scheme: auth.scheme, field },
    );
  };
  switch (auth.scheme) {
    case 'basic':
      if (!auth.username) missing('username');
      if (auth.username.includes(':')) {
        throw new FlowsteadError(
          'CONNECTION_AUTH',
          "The connection's username contains ':', which Basic authentication cannot carry; check the username.",
          { scheme: auth.scheme, field: 'username' },
        );
      }
      if (!auth.password) missing('password');
      return;
    case 'bearer':
      if (!auth.token) missing('token');
      return;
    case 'apiKey':
      if (!auth.name) missing('API key name');
      if (!auth.value) missing('API key');
      return;
    case 'oauth2ClientCredentials':
      if (!auth.tokenUrl) missing('token URL');
      if (!auth.clientId) missing('client ID');
      if (!auth.clientSecret) missing('client secret');
      return;
    case 'none':
      return;
  }
}
