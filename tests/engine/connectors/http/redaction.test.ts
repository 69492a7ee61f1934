import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorAuth } from '../../../../src/engine/connectors/http/auth.js';
import { createHttpClient } from '../../../../src/engine/connectors/http/http-client.js';
import { collectAll } from '../../../../src/engine/connectors/http/pagination.js';
import { REDACTED, redactSecrets } from '../../../../src/engine/connectors/http/redact.js';
import type { FlowsteadError } from '../../../../src/shared/errors.js';
import { rejectionOf, sendJson, startTestServer, type TestServer } from './test-server.js';

const TOKEN = 'tok-Zx81qPl0w';
const PASSWORD = 'hunter2 & more';
const API_KEY = 'key-7f3a9c2b';
const CLIENT_SECRET = 'cs-9d8e7f6a5b';

let server: TestServer;
afterEach(() => server?.close());

/** Every way an error could reach a user or a log. */
function everythingShown(error: FlowsteadError): string {
  return [error.message, JSON.stringify(error), JSON.stringify(error.details), inspect(error, { depth: 10 })].join(
    '\n',
  );
}

function expectNoSecrets(error: FlowsteadError, secrets: string[]) {
  const shown = everythingShown(error);
  for (const secret of secrets) {
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(encodeURIComponent(secret));
  }
}

/** A server that echoes back everything it received, as careless APIs do in error bodies. */
async function echoingServer(status: number) {
  server = await startTestServer((request, response) => {
    const echoed = `${request.method} ${request.path}?${request.query.toString()} auth=${request.headers.authorization} key=${request.headers['x-api-key']} body=${request.body}`;
    sendJson(response, status, { errorCode: 'E1', errorSummary: `Invalid credentials: ${echoed}` });
  });
}

const cases: Array<[string, ConnectorAuth, string[]]> = [
  ['bearer token', { scheme: 'bearer', token: TOKEN }, [TOKEN]],
  [
    'basic password',
    { scheme: 'basic', username: 'ada', password: PASSWORD },
    [PASSWORD, Buffer.from(`ada:${PASSWORD}`).toString('base64')],
  ],
  ['API key in a header', { scheme: 'apiKey', in: 'header', name: 'X-Api-Key', value: API_KEY }, [API_KEY]],
  ['API key in the query', { scheme: 'apiKey', in: 'query', name: 'api_key', value: API_KEY }, [API_KEY]],
];

describe('secrets never appear in errors', () => {
  it.each(cases)('%s echoed in a vendor error body', async (_name, auth, secrets) => {
    await echoingServer(401);
    const client = createHttpClient({ baseUrl: server.origin, auth, errorMapping: 'okta' });
    const error = await rejectionOf(
      client.request({ method: 'POST', path: '/users', body: { kind: 'json', value: { password: PASSWORD } } }),
    );
    expect(error.code).toBe('HTTP_401');
    expect(error.message).toContain(REDACTED);
    expectNoSecrets(error, secrets);
    expectNoSecrets(error, [PASSWORD]);
  });

  it.each(cases)('%s when axios throws a network error', async (_name, auth, secrets) => {
    const client = createHttpClient({ baseUrl: 'http://127.0.0.1:1/api', auth, maxRetries: 0 });
    const error = await rejectionOf(client.request({ method: 'GET', path: '/users', query: { filter: 'x' } }));
    expect(error.code).toBe('HTTP_NETWORK');
    expectNoSecrets(error, secrets);
  });

  it('API key in the query when the request times out', async () => {
    server = await startTestServer((_request, response) => {
      setTimeout(() => sendJson(response, 200, {}), 500);
    });
    const auth: ConnectorAuth = { scheme: 'apiKey', in: 'query', name: 'api_key', value: API_KEY };
    const client = createHttpClient({ baseUrl: server.origin, auth, timeoutMs: 50, maxRetries: 0 });
    const error = await rejectionOf(client.request({ method: 'GET', path: '/slow' }));
    expect(error.code).toBe('HTTP_TIMEOUT');
    expectNoSecrets(error, [API_KEY]);
  });

  it('OAuth client secret and issued access token echoed back', async () => {
    let accessToken = '';
    server = await startTestServer((request, response) => {
      if (request.path === '/token') {
        accessToken = 'at-Q1w2e3r4t5';
        return sendJson(response, 200, { access_token: accessToken, expires_in: 3600 });
      }
      sendJson(response, 403, { message: `token ${accessToken} lacks scope; body was ${request.body}` });
    });
    const auth: ConnectorAuth = {
      scheme: 'oauth2ClientCredentials',
      tokenUrl: `${server.origin}/token`,
      clientId: 'app',
      clientSecret: CLIENT_SECRET,
    };
    const client = createHttpClient({ baseUrl: server.origin, auth });
    const error = await rejectionOf(
      client.request({ method: 'POST', path: '/x', body: { kind: 'text', value: `secret=${CLIENT_SECRET}` } }),
    );
    expect(error.code).toBe('HTTP_403');
    expectNoSecrets(error, [CLIENT_SECRET, 'at-Q1w2e3r4t5']);
  });

  it('OAuth client secret echoed by the token endpoint', async () => {
    server = await startTestServer((request, response) => {
      sendJson(response, 400, { error: 'invalid_client', error_description: `bad secret in ${request.body}` });
    });
    const auth: ConnectorAuth = {
      scheme: 'oauth2ClientCredentials',
      tokenUrl: `${server.origin}/token`,
      clientId: 'app',
      clientSecret: CLIENT_SECRET,
      clientAuth: 'body',
    };
    const error = await rejectionOf(
      createHttpClient({ baseUrl: server.origin, auth }).request({ method: 'GET', path: '/x' }),
    );
    expect(error.code).toBe('OAUTH_TOKEN');
    expectNoSecrets(error, [CLIENT_SECRET]);
  });

  it('a next link echoing a key in a pagination loop error', async () => {
    server = await startTestServer((_request, response) => {
      sendJson(response, 200, [{ id: 1 }], { Link: `</items?api_key=${API_KEY}>; rel="next"` });
    });
    const auth: ConnectorAuth = { scheme: 'apiKey', in: 'query', name: 'api_key', value: API_KEY };
    const client = createHttpClient({ baseUrl: server.origin, auth });
    const error = await rejectionOf(collectAll(client, { method: 'GET', path: '/items' }, { kind: 'link' }));
    expect(error.code).toBe('PAGINATION_LOOP');
    expectNoSecrets(error, [API_KEY]);
  });
});

describe('redactSecrets', () => {
  it('removes known secrets in raw, URL-encoded and form-encoded forms', () => {
    const text = `a ${PASSWORD} b ${encodeURIComponent(PASSWORD)} c ${new URLSearchParams({ p: PASSWORD }).toString()}`;
    expect(redactSecrets(text, [PASSWORD])).not.toMatch(/hunter2/);
  });

  it('removes credential-shaped text even when the secret is not known', () => {
    const text =
      'Authorization: Bearer abc.def.ghi123 and https://x/y?access_token=zzz999&ok=1 and {"client_secret":"s3"}';
    const redacted = redactSecrets(text);
    expect(redacted).not.toMatch(/abc\.def|zzz999|"s3"/);
    expect(redacted).toContain('ok=1');
  });

  it('leaves text without secrets alone', () => {
    expect(redactSecrets('GET /api/v1/users failed with 404 Not Found.', ['secret-value'])).toBe(
      'GET /api/v1/users failed with 404 Not Found.',
    );
  });
});
