import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../../src/engine/connectors/http/http-client.js';
import type { ConnectorAuth } from '../../../../src/engine/connectors/http/auth.js';
import { FlowsteadError } from '../../../../src/shared/errors.js';
import { rejectionOf, sendJson, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
afterEach(() => server?.close());

/** A server that answers 200 only when `accepts` approves the request's credentials. */
async function guardedServer(accepts: (headers: Record<string, unknown>, query: URLSearchParams) => boolean) {
  server = await startTestServer((request, response) => {
    if (accepts(request.headers, request.query)) sendJson(response, 200, { ok: true });
    else sendJson(response, 401, { message: 'bad credentials' });
  });
  return server;
}

async function call(auth: ConnectorAuth) {
  const client = createHttpClient({ baseUrl: `${server.origin}/api/v1`, auth, maxRetries: 0 });
  return client.request({ method: 'GET', path: '/users', query: { limit: 2 } });
}

describe('connector auth schemes', () => {
  it('sends no credentials for scheme none', async () => {
    await guardedServer((headers) => headers.authorization === undefined);
    expect((await call({ scheme: 'none' })).status).toBe(200);
    expect(server.requests[0]?.path).toBe('/api/v1/users');
    expect(server.requests[0]?.query.get('limit')).toBe('2');
  });

  it('sends basic credentials encoded as RFC 7617 asks', async () => {
    const expected = `Basic ${Buffer.from('ada:pa ss:wörd').toString('base64')}`;
    await guardedServer((headers) => headers.authorization === expected);
    expect((await call({ scheme: 'basic', username: 'ada', password: 'pa ss:wörd' })).status).toBe(200);
  });

  it('sends a bearer token with the default prefix', async () => {
    await guardedServer((headers) => headers.authorization === 'Bearer tok-123456');
    expect((await call({ scheme: 'bearer', token: 'tok-123456' })).status).toBe(200);
  });

  it("sends Okta's SSWS prefix when asked", async () => {
    await guardedServer((headers) => headers.authorization === 'SSWS 00abcdef');
    expect((await call({ scheme: 'bearer', token: '00abcdef', prefix: 'SSWS' })).status).toBe(200);
  });

  it('sends an API key in a header', async () => {
    await guardedServer((headers) => headers['x-api-key'] === 'key-98765');
    expect((await call({ scheme: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'key-98765' })).status).toBe(200);
  });

  it('sends an API key in the query but leaves it out of the response URL', async () => {
    await guardedServer((_headers, query) => query.get('api_key') === 'key-98765');
    const response = await call({ scheme: 'apiKey', in: 'query', name: 'api_key', value: 'key-98765' });
    expect(response.status).toBe(200);
    expect(response.url).not.toContain('key-98765');
    expect(response.url).toContain('limit=2');
  });

  it('does not let a request header replace the credentials', async () => {
    await guardedServer((headers) => headers.authorization === 'Bearer tok-123456');
    const client = createHttpClient({ baseUrl: server.origin, auth: { scheme: 'bearer', token: 'tok-123456' } });
    const response = await client.request({ method: 'GET', path: '/', headers: { authorization: 'Bearer other' } });
    expect(response.status).toBe(200);
  });

  it('refuses an incomplete connection before sending anything', () => {
    const make = () => createHttpClient({ baseUrl: 'https://x.example', auth: { scheme: 'bearer', token: '' } });
    expect(make).toThrow(FlowsteadError);
    expect(make).toThrow(/token is empty/);
  });

  it('fails with HTTP_401 and a credentials hint when the server refuses them', async () => {
    await guardedServer(() => false);
    const error = await rejectionOf(call({ scheme: 'bearer', token: 'wrong-token' }));
    expect(error).toMatchObject({ code: 'HTTP_401' });
    expect(error.message).toMatch(
      /^GET \/api\/v1\/users failed with 401 Unauthorized: bad credentials\. Check the connection's credentials/,
    );
    expect(server.requests).toHaveLength(1);
  });
});
