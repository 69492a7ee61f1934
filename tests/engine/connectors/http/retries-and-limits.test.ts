import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../../src/engine/connectors/http/http-client.js';
import { recordingSleep, rejectionOf, sendJson, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
afterEach(() => server?.close());

/** Answers each request with the next scripted status (then 200). */
async function scriptedServer(script: Array<{ status: number; headers?: Record<string, string> }>) {
  let index = 0;
  server = await startTestServer((_request, response) => {
    const step = script[index++] ?? { status: 200 };
    sendJson(response, step.status, { message: `answer ${index}` }, step.headers);
  });
}

const noAuth = { scheme: 'none' } as const;

describe('retries', () => {
  it('honours Retry-After in seconds', async () => {
    await scriptedServer([{ status: 429, headers: { 'Retry-After': '7' } }]);
    const { sleep, waits } = recordingSleep();
    const client = createHttpClient({ baseUrl: server.origin, auth: noAuth, sleep });
    const response = await client.request({
      method: 'POST',
      path: '/messages',
      body: { kind: 'json', value: { a: 1 } },
    });
    expect(response.status).toBe(200);
    expect(waits).toEqual([7000]);
    expect(server.requests[1]?.body).toBe('{"a":1}');
  });

  it('honours Retry-After as an HTTP date', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    await scriptedServer([{ status: 503, headers: { 'Retry-After': 'Tue, 01 Jan 2030 00:00:12 GMT' } }]);
    const { sleep, waits } = recordingSleep();
    const client = createHttpClient({ baseUrl: server.origin, auth: noAuth, sleep, now: () => now });
    expect((await client.request({ method: 'GET', path: '/x' })).status).toBe(200);
    expect(waits).toEqual([12_000]);
  });

  it('backs off exponentially with jitter on 502 for idempotent methods', async () => {
    await scriptedServer([{ status: 502 }, { status: 502 }, { status: 504 }]);
    const { sleep, waits } = recordingSleep();
    const client = createHttpClient({ baseUrl: server.origin, auth: noAuth, sleep });
    expect((await client.request({ method: 'PUT', path: '/x' })).status).toBe(200);
    expect(waits).toHaveLength(3);
    [500, 1000, 2000].forEach((ceiling, i) => {
      expect(waits[i]).toBeGreaterThanOrEqual(ceiling / 2);
      expect(waits[i]).toBeLessThanOrEqual(ceiling);
    });
  });

  it('does not retry a POST that failed with 502, since it may have been applied', async () => {
    await scriptedServer([{ status: 502 }]);
    const client = createHttpClient({ baseUrl: server.origin, auth: noAuth, sleep: recordingSleep().sleep });
    await expect(client.request({ method: 'POST', path: '/users' })).rejects.toMatchObject({ code: 'HTTP_502' });
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after maxRetries with the last status', async () => {
    await scriptedServer(Array.from({ length: 10 }, () => ({ status: 429 })));
    const client = createHttpClient({
      baseUrl: server.origin,
      auth: noAuth,
      maxRetries: 2,
      sleep: recordingSleep().sleep,
    });
    const error = await rejectionOf(client.request({ method: 'GET', path: '/users', query: { q: 'x' } }));
    expect(error).toMatchObject({ code: 'HTTP_429', details: { status: 429, method: 'GET', path: '/users' } });
    expect(error.message).toMatch(
      /^GET \/users failed with 429 Too Many Requests: answer 3\. The service is rate-limiting/,
    );
    expect(server.requests).toHaveLength(3);
  });

  it('retries network errors for GET and names the host and cause when they persist', async () => {
    const { sleep, waits } = recordingSleep();
    const client = createHttpClient({ baseUrl: 'http://127.0.0.1:1', auth: noAuth, maxRetries: 2, sleep });
    const error = await rejectionOf(client.request({ method: 'GET', path: '/users' }));
    expect(error).toMatchObject({ code: 'HTTP_NETWORK', details: { host: '127.0.0.1:1', cause: 'ECONNREFUSED' } });
    expect(error.message).toContain('could not reach 127.0.0.1:1: the connection was refused (ECONNREFUSED)');
    expect(waits).toHaveLength(2);
  });
});

describe('limits', () => {
  it('never runs more requests at once than maxConcurrency', async () => {
    server = await startTestServer((_request, response) => {
      setTimeout(() => sendJson(response, 200, {}), 20);
    });
    const client = createHttpClient({ baseUrl: server.origin, auth: noAuth, maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 15 }, () => client.request({ method: 'GET', path: '/x' })));
    expect(server.requests).toHaveLength(15);
    expect(server.maxInFlight).toBe(3);
  });

  it('fails with HTTP_TIMEOUT naming the timeout', async () => {
    server = await startTestServer((_request, response) => {
      setTimeout(() => sendJson(response, 200, {}), 1000);
    });
    const client = createHttpClient({ baseUrl: server.origin, auth: noAuth, timeoutMs: 100, maxRetries: 0 });
    const error = await rejectionOf(client.request({ method: 'GET', path: '/slow' }));
    expect(error).toMatchObject({ code: 'HTTP_TIMEOUT', details: { timeoutMs: 100 } });
    expect(error.message).toContain('GET /slow');
    expect(error.message).toContain('within 100 ms');
  });

  it('stops a request, and requests queued behind it, when the signal aborts', async () => {
    server = await startTestServer((_request, response) => {
      setTimeout(() => sendJson(response, 200, {}), 2000);
    });
    const client = createHttpClient({ baseUrl: server.origin, auth: noAuth, maxConcurrency: 1 });
    const controller = new AbortController();
    const running = client.request({ method: 'GET', path: '/a' }, controller.signal);
    const queued = client.request({ method: 'GET', path: '/b' }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(running).rejects.toMatchObject({ code: 'HTTP_CANCELLED' });
    await expect(queued).rejects.toMatchObject({ code: 'HTTP_CANCELLED' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.requests.map((r) => r.path)).toEqual(['/a']);
  });

  it('stops waiting for a retry when the signal aborts', async () => {
    await scriptedServer([{ status: 429, headers: { 'Retry-After': '60' } }]);
    const client = createHttpClient({ baseUrl: server.origin, auth: noAuth });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(client.request({ method: 'GET', path: '/x' }, controller.signal)).rejects.toMatchObject({
      code: 'HTTP_CANCELLED',
    });
  });

  it('refuses an absolute URL on another origin', async () => {
    server = await startTestServer((_request, response) => sendJson(response, 200, {}));
    const client = createHttpClient({ baseUrl: server.origin, auth: { scheme: 'bearer', token: 'tok-abcdef' } });
    await expect(client.request({ method: 'GET', path: 'https://evil.example/steal' })).rejects.toMatchObject({
      code: 'HTTP_CROSS_ORIGIN',
    });
    await expect(client.request({ method: 'GET', path: '//evil.example/steal' })).rejects.toMatchObject({
      code: 'HTTP_CROSS_ORIGIN',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('joins relative paths to a base URL that has a path of its own', async () => {
    server = await startTestServer((request, response) => sendJson(response, 200, { path: request.path }));
    const client = createHttpClient({ baseUrl: `${server.origin}/api/v1/`, auth: noAuth });
    expect((await client.request({ method: 'GET', path: 'users' })).body).toEqual({ path: '/api/v1/users' });
    expect((await client.request({ method: 'GET', path: '/groups' })).body).toEqual({ path: '/api/v1/groups' });
  });

  it('sends form and text bodies, repeats array query values and parses JSON answers', async () => {
    server = await startTestServer((request, response) =>
      sendJson(response, 200, {
        type: request.headers['content-type'],
        body: request.body,
        ids: request.query.getAll('id'),
      }),
    );
    const client = createHttpClient({ baseUrl: server.origin, auth: noAuth });
    const form = await client.request({
      method: 'POST',
      path: '/f',
      query: { id: [1, 2], skip: undefined },
      body: { kind: 'form', value: { a: 'x y' } },
    });
    expect(form.body).toEqual({ type: 'application/x-www-form-urlencoded', body: 'a=x+y', ids: ['1', '2'] });
    expect(form.headers['content-type']).toBe('application/json');
    const text = await client.request({
      method: 'POST',
      path: '/t',
      body: { kind: 'text', value: 'hi', contentType: 'text/csv' },
    });
    expect(text.body).toMatchObject({ type: 'text/csv', body: 'hi' });
  });
});
