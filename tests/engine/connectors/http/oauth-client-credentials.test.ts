import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../../src/engine/connectors/http/http-client.js';
import { rejectionOf, sendJson, startTestServer, type TestServer } from './test-server.js';

const SECRET = 'client-secret-s3cr3t';
let server: TestServer;
afterEach(() => server?.close());

/** A token endpoint at /oauth/token and an API at /api that accepts only the latest token. */
async function identityProvider(options: { expiresIn?: number; tokenDelayMs?: number } = {}) {
  let issued = 0;
  let validToken = '';
  server = await startTestServer(async (request, response) => {
    if (request.path === '/oauth/token') {
      if (options.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, options.tokenDelayMs));
      const form = new URLSearchParams(request.body);
      const basic = `Basic ${Buffer.from(`app-id:${SECRET}`).toString('base64')}`;
      const clientOk =
        request.headers.authorization === basic ||
        (form.get('client_id') === 'app-id' && form.get('client_secret') === SECRET);
      if (form.get('grant_type') !== 'client_credentials' || !clientOk) {
        return sendJson(response, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
      }
      issued++;
      validToken = `access-token-${issued}`;
      return sendJson(response, 200, {
        access_token: validToken,
        token_type: 'Bearer',
        expires_in: options.expiresIn ?? 3600,
        scope: form.get('scope'),
      });
    }
    if (request.headers.authorization === `Bearer ${validToken}`)
      return sendJson(response, 200, { path: request.path });
    sendJson(response, 401, { error: 'invalid_token' });
  });
  return {
    tokensIssued: () => issued,
    revokeTokens: () => (validToken = 'revoked'),
    tokenRequests: () => server.requests.filter((r) => r.path === '/oauth/token'),
  };
}

function clientFor(extra: { clientAuth?: 'body' | 'basic'; clientSecret?: string; now?: () => number } = {}) {
  return createHttpClient({
    baseUrl: `${server.origin}/api`,
    auth: {
      scheme: 'oauth2ClientCredentials',
      tokenUrl: `${server.origin}/oauth/token`,
      clientId: 'app-id',
      clientSecret: extra.clientSecret ?? SECRET,
      scope: 'users.read users.write',
      audience: 'https://api.example',
      ...(extra.clientAuth ? { clientAuth: extra.clientAuth } : {}),
    },
    maxConcurrency: 20,
    maxRetries: 0,
    ...(extra.now ? { now: extra.now } : {}),
  });
}

describe('OAuth client credentials', () => {
  it('fetches one token for 20 concurrent calls and reuses it', async () => {
    const idp = await identityProvider({ tokenDelayMs: 50 });
    const client = clientFor();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.request({ method: 'GET', path: `/users/${i}` })),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await client.request({ method: 'GET', path: '/users/again' });
    expect(idp.tokensIssued()).toBe(1);
    const form = new URLSearchParams(idp.tokenRequests()[0]?.body);
    expect(form.get('scope')).toBe('users.read users.write');
    expect(form.get('audience')).toBe('https://api.example');
    expect(form.get('client_secret')).toBeNull();
  });

  it('can send the client credentials in the body instead', async () => {
    const idp = await identityProvider();
    await clientFor({ clientAuth: 'body' }).request({ method: 'GET', path: '/users' });
    expect(new URLSearchParams(idp.tokenRequests()[0]?.body).get('client_id')).toBe('app-id');
    expect(idp.tokenRequests()[0]?.headers.authorization).toBeUndefined();
  });

  it('renews the token once on a 401 and retries the call', async () => {
    const idp = await identityProvider();
    const client = clientFor();
    await client.request({ method: 'GET', path: '/users' });
    idp.revokeTokens();
    const response = await client.request({ method: 'POST', path: '/users', body: { kind: 'json', value: {} } });
    expect(response.status).toBe(200);
    expect(idp.tokensIssued()).toBe(2);
  });

  it('renews only once when concurrent calls all get a 401', async () => {
    const idp = await identityProvider({ tokenDelayMs: 30 });
    const client = clientFor();
    await client.request({ method: 'GET', path: '/users' });
    idp.revokeTokens();
    await Promise.all(Array.from({ length: 10 }, () => client.request({ method: 'GET', path: '/users' })));
    expect(idp.tokensIssued()).toBe(2);
  });

  it('renews a token once it is within the expiry skew', async () => {
    let clock = 1_000_000;
    const idp = await identityProvider({ expiresIn: 600 });
    const client = clientFor({ now: () => clock });
    await client.request({ method: 'GET', path: '/users' });
    clock += 530_000; // 600 s lifetime minus 60 s skew is 540 s: still fresh
    await client.request({ method: 'GET', path: '/users' });
    expect(idp.tokensIssued()).toBe(1);
    clock += 20_000;
    await client.request({ method: 'GET', path: '/users' });
    expect(idp.tokensIssued()).toBe(2);
  });

  it('turns a token endpoint error into OAUTH_TOKEN without the secret', async () => {
    await identityProvider();
    const wrongSecret = 'wrong-secret-value-42';
    const error = await rejectionOf(
      clientFor({ clientSecret: wrongSecret }).request({ method: 'GET', path: '/users' }),
    );
    expect(error).toMatchObject({ code: 'OAUTH_TOKEN', details: { status: 401, vendorCode: 'invalid_client' } });
    expect(error.message).toContain('invalid_client Client authentication failed');
    expect(error.message).toContain("Check the connection's token URL, client ID, client secret");
    expect(JSON.stringify(error) + error.message).not.toContain(wrongSecret);
  });
});
