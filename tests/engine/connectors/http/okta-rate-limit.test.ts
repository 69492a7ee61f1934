import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../../src/engine/connectors/http/http-client.js';
import { oktaBucketOf, parseRetryAfter } from '../../../../src/engine/connectors/http/rate-limit.js';
import { realSleep } from '../../../../src/engine/connectors/http/sleep.js';
import { sendJson, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
afterEach(() => server?.close());

/**
 * Okta's X-Rate-Limit-Reset is whole epoch seconds, so a real 1 s window would make a 500-call
 * burst take 10 s. Server and client share a clock running 5× fast instead: one "second" is
 * 200 ms of real time, and the server still enforces its windows strictly by that clock.
 */
function fastClock(speed: number) {
  const startEpoch = Date.now();
  const startReal = performance.now();
  return {
    now: () => startEpoch + (performance.now() - startReal) * speed,
    sleep: (ms: number, signal?: AbortSignal) => realSleep(ms / speed, signal),
  };
}

/** An Okta-like server allowing `limit` calls per one-second window to each bucket. */
async function oktaServer(limit: number, now: () => number) {
  const perWindow = new Map<string, number>();
  let rejected = 0;
  server = await startTestServer((request, response) => {
    const window = Math.floor(now() / 1000);
    const key = `${oktaBucketOf(request.path)}@${window}`;
    const used = (perWindow.get(key) ?? 0) + 1;
    perWindow.set(key, used);
    const headers = {
      'X-Rate-Limit-Limit': String(limit),
      'X-Rate-Limit-Remaining': String(Math.max(0, limit - used)),
      'X-Rate-Limit-Reset': String(window + 1),
    };
    if (used > limit) {
      rejected++;
      return sendJson(response, 429, { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit' }, headers);
    }
    // A little jitter so answers come back out of order, as they do from a real org.
    setTimeout(() => sendJson(response, 200, [{ id: request.path }], headers), Math.random() * 4);
  });
  return { perWindow, rejected: () => rejected };
}

describe('Okta rate limits', () => {
  it('finishes a burst of 500 calls against 50 per window with no 429 and never over the limit', async () => {
    const clock = fastClock(5);
    const okta = await oktaServer(50, clock.now);
    const client = createHttpClient({
      baseUrl: server.origin,
      auth: { scheme: 'bearer', token: 'tok', prefix: 'SSWS' },
      rateLimit: 'okta',
      ...clock,
    });
    const responses = await Promise.all(
      Array.from({ length: 500 }, (_, i) => client.request({ method: 'GET', path: `/api/v1/users/00u${i}` })),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(okta.rejected()).toBe(0);
    expect(server.requests).toHaveLength(500);
    expect(Math.max(...okta.perWindow.values())).toBeLessThanOrEqual(50);
  }, 15_000);

  it('keeps separate budgets per endpoint family', () => {
    expect(oktaBucketOf('/api/v1/users/00u1')).toBe(oktaBucketOf('/api/v1/users/00u2'));
    expect(oktaBucketOf('/api/v1/users')).not.toBe(oktaBucketOf('/api/v1/users/00u1'));
    expect(oktaBucketOf('/api/v1/groups/00g1/users')).toBe('groups/:id');
  });

  it('waits until X-Rate-Limit-Reset after a 429, then retries', async () => {
    let clock = Date.parse('2030-01-01T00:00:00.250Z');
    const reset = Math.floor(clock / 1000) + 3;
    let calls = 0;
    server = await startTestServer((_request, response) => {
      calls++;
      const remaining = calls === 1 ? '0' : '99';
      const headers = {
        'X-Rate-Limit-Limit': '100',
        'X-Rate-Limit-Remaining': remaining,
        'X-Rate-Limit-Reset': String(reset),
      };
      sendJson(response, calls === 1 ? 429 : 200, {}, headers);
    });
    const waits: number[] = [];
    const client = createHttpClient({
      baseUrl: server.origin,
      auth: { scheme: 'none' },
      rateLimit: 'okta',
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    expect((await client.request({ method: 'POST', path: '/api/v1/users' })).status).toBe(200);
    expect(waits).toEqual([2750]);
    expect(calls).toBe(2);
  });

  it('does not hold requests to a bucket that never reports rate-limit headers', async () => {
    server = await startTestServer((_request, response) => {
      setTimeout(() => sendJson(response, 200, {}), 20);
    });
    const client = createHttpClient({ baseUrl: server.origin, auth: { scheme: 'none' }, rateLimit: 'okta' });
    await client.request({ method: 'GET', path: '/api/v1/apps' });
    await Promise.all(Array.from({ length: 8 }, () => client.request({ method: 'GET', path: '/api/v1/apps' })));
    expect(server.maxInFlight).toBe(4);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 31 Dec 2029 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
