import axios from 'axios';
import { FlowsteadError } from '../../../shared/errors.js';
import { redactSecrets } from './redact.js';
import { cancelledError } from './errors.js';

/** OAuth 2.0 client credentials grant (RFC 6749 §4.4). */
export interface ClientCredentialsAuth {
  scheme: 'oauth2ClientCredentials';
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  audience?: string;
  /** Vendor parameters for the token request, e.g. Box's box_subject_type / box_subject_id. */
  extraParams?: Record<string, string>;
  /** 'basic' (the default) sends the client in an Authorization header, as RFC 6749 §2.3.1 prefers. */
  clientAuth?: 'body' | 'basic';
}

export interface AccessToken {
  id: number;
  accessToken: string;
  expiresAt: number;
}

export interface ClientCredentialsTokens {
  current(signal?: AbortSignal): Promise<AccessToken>;
  /** Forgets the token with this id, unless a newer one has already replaced it. */
  discard(id: number): void;
  knownAccessTokens(): string[];
}

// Renew a minute early so a token does not expire between our check and the vendor's.
const EXPIRY_SKEW_MS = 60_000;
// RFC 6749 makes expires_in optional; without it, renew every five minutes (and on any 401).
const DEFAULT_LIFETIME_MS = 5 * 60_000;

export function createClientCredentialsTokens(
  auth: ClientCredentialsAuth,
  dependencies: { timeoutMs: number; now: () => number },
): ClientCredentialsTokens {
  let cached: AccessToken | undefined;
  let inFlight: Promise<AccessToken> | undefined;
  let nextId = 1;
  const issued: string[] = [];

  async function fetchToken(): Promise<AccessToken> {
    const accessTokenAndLifetime = await requestToken(auth, dependencies.timeoutMs);
    issued.push(accessTokenAndLifetime.accessToken);
    const lifetimeMs = accessTokenAndLifetime.expiresInMs ?? DEFAULT_LIFETIME_MS;
    const skewMs = Math.min(EXPIRY_SKEW_MS, lifetimeMs / 2);
    return {
      id: nextId++,
      accessToken: accessTokenAndLifetime.accessToken,
      expiresAt: dependencies.now() + lifetimeMs - skewMs,
    };
  }

  return {
    current(signal) {
      if (cached && dependencies.now() < cached.expiresAt) return Promise.resolve(cached);
      // Every caller that arrives while a token is being fetched waits for that same request.
      inFlight ??= fetchToken()
        .then((token) => (cached = token))
        .finally(() => (inFlight = undefined));
      return abortable(inFlight, signal);
    },
    discard(id) {
      if (cached?.id === id) cached = undefined;
    },
    knownAccessTokens: () => [...issued],
  };
}

async function requestToken(
  auth: ClientCredentialsAuth,
  timeoutMs: number,
): Promise<{ accessToken: string; expiresInMs: number | undefined }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope) form.set('scope', auth.scope);
  if (auth.audience) form.set('audience', auth.audience);
  for (const [name, value] of Object.entries(auth.extraParams ?? {})) form.set(name, value);
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  if ((auth.clientAuth ?? 'basic') === 'basic') {
    // RFC 6749 §2.3.1: each part is form-encoded before being joined and base64-encoded.
    const user = formEncode(auth.clientId);
    const password = formEncode(auth.clientSecret);
    headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  } else {
    form.set('client_id', auth.clientId);
    form.set('client_secret', auth.clientSecret);
  }

  const where = describeTokenUrl(auth.tokenUrl);
  const fail = (reason: string, details: Record<string, unknown>): never => {
    throw new FlowsteadError(
      'OAUTH_TOKEN',
      redactSecrets(
        `Could not get an OAuth access token from ${where}: ${reason}. ` +
          "Check the connection's token URL, client ID, client secret and scope.",
        [auth.clientSecret],
      ),
      { tokenUrl: where, ...details },
    );
  };

  let response;
  try {
    response = await axios.post<string>(auth.tokenUrl, form.toString(), {
      headers,
      timeout: timeoutMs,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return fail(`the request failed (${typeof code === 'string' ? code : 'network error'})`, { cause: code });
  }

  const body = parseTokenBody(response.data, String(response.headers['content-type'] ?? ''));
  const errorCode = typeof body.error === 'string' ? body.error : undefined;
  const description = typeof body.error_description === 'string' ? body.error_description : undefined;
  if (response.status < 200 || response.status >= 300 || errorCode) {
    const reason = [`${response.status}`, errorCode, description].filter(Boolean).join(' ');
    return fail(`the token endpoint answered ${reason}`, {
      status: response.status,
      vendorCode: errorCode,
      vendorMessage: description && redactSecrets(description, [auth.clientSecret]),
    });
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    return fail('the response has no access_token', { status: response.status });
  }
  const expiresIn = Number(body.expires_in);
  return {
    accessToken: body.access_token,
    expiresInMs: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : undefined,
  };
}

/** Token endpoints answer JSON per the RFC, but a few older ones answer a form-encoded body. */
function parseTokenBody(text: string | undefined, contentType: string): Record<string, unknown> {
  if (!text) return {};
  if (contentType.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function describeTokenUrl(tokenUrl: string): string {
  try {
    const url = new URL(tokenUrl);
    return `${url.origin}${url.pathname}`;
  } catch {
    throw new FlowsteadError(
      'CONNECTION_AUTH',
      "The connection's token URL is not a valid URL; enter the full https:// address of the token endpoint.",
      { field: 'tokenUrl' },
    );
  }
}

/** Lets one caller stop waiting for a shared token request without cancelling it for the others. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelledError('the OAuth token request'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError('the OAuth token request'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
