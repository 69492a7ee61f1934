import axios, { type AxiosResponse } from 'axios';
import { FlowsteadError } from '../../../shared/errors.js';
import { createAuthenticator, type AppliedAuth, type ConnectorAuth } from './auth.js';
import { createConcurrencyLimiter } from './concurrency-limiter.js';
import {
  cancelledError,
  httpStatusError,
  isVendorFailure,
  networkError,
  resolveErrorMapping,
  timeoutError,
  type RequestDescription,
  type VendorErrorMapping,
  type VendorErrorPreset,
} from './errors.js';
import { createOktaRateLimiter, parseRetryAfter, readOktaRateLimit } from './rate-limit.js';
import { resolveRequestUrl } from './request-url.js';
import { realSleep, type Sleep } from './sleep.js';
import type { HttpClient, HttpRequest, HttpResponse, RequestBody } from './types.js';

export interface HttpClientOptions {
  baseUrl: string;
  auth: ConnectorAuth;
  /** Per attempt; default 30 000. */
  timeoutMs?: number;
  /** Requests this client runs at once; default 4. */
  maxConcurrency?: number;
  /** Retries after the first attempt; default 4. */
  maxRetries?: number;
  /** Statuses worth retrying; default 429, 502, 503, 504. See `retryDelay` for which methods. */
  retryOn?: number[];
  errorMapping?: VendorErrorMapping | VendorErrorPreset;
  /** 'okta' reads X-Rate-Limit-* and holds requests while a bucket is spent; default 'retryAfter'. */
  rateLimit?: 'okta' | 'retryAfter';
  sleep?: Sleep;
  now?: () => number;
}

const DEFAULT_RETRY_ON = [429, 502, 503, 504];
// Repeating these cannot create a second user or send a second message.
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const FIRST_BACKOFF_MS = 500;
const LONGEST_BACKOFF_MS = 30_000;
// A service asking us to wait longer than this is down for the day; fail and say so instead.
const LONGEST_RETRY_WAIT_MS = 5 * 60_000;
const MAX_BODY_BYTES = 100 * 1024 * 1024;

type Attempt =
  { kind: 'answer'; response: HttpResponse; usedAuth: AppliedAuth } | { kind: 'failure'; error: FlowsteadError };

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const baseUrl = checkBaseUrl(options.baseUrl);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 4;
  const retryOn = new Set(options.retryOn ?? DEFAULT_RETRY_ON);
  const mapping = resolveErrorMapping(options.errorMapping);
  const authenticator = createAuthenticator(options.auth, { timeoutMs, now });
  const limiter = createConcurrencyLimiter(options.maxConcurrency ?? 4);
  const okta = options.rateLimit === 'okta' ? createOktaRateLimiter({ now, sleep }) : undefined;
  const transport = axios.create({
    validateStatus: () => true,
    responseType: 'text',
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown) => data],
    // Redirects are not followed: a redirect to another host must not receive our credentials.
    maxRedirects: 0,
    maxContentLength: MAX_BODY_BYTES,
    maxBodyLength: MAX_BODY_BYTES,
  });

  async function attempt(request: HttpRequest, url: URL, signal: AbortSignal | undefined): Promise<Attempt> {
    const described = describe(request, url);
    const reservation = okta ? await okta.reserve(url.pathname, signal) : undefined;
    let answeredHeaders: Record<string, string> | undefined;
    try {
      const release = await limiter.acquire(signal);
      try {
        const usedAuth = await authenticator.apply(signal);
        const target = new URL(url);
        for (const [name, value] of Object.entries(usedAuth.query)) target.searchParams.set(name, value);
        const raw = await send(request, target, usedAuth, signal);
        if (raw instanceof FlowsteadError) return { kind: 'failure', error: raw };
        answeredHeaders = lowerCaseHeaders(raw.headers);
        return { kind: 'answer', response: toResponse(raw, answeredHeaders, url, described), usedAuth };
      } finally {
        release();
      }
    } finally {
      reservation?.finish(answeredHeaders);
    }
  }

  async function send(
    request: HttpRequest,
    target: URL,
    usedAuth: AppliedAuth,
    signal: AbortSignal | undefined,
  ): Promise<AxiosResponse<string> | FlowsteadError> {
    const described = describe(request, target);
    const stop = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stop.abort();
    }, timeoutMs);
    const onCallerAbort = () => stop.abort();
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      return await transport.request<string>({
        url: target.toString(),
        method: request.method,
        headers: buildHeaders(request, usedAuth),
        data: serialiseBody(request.body),
        signal: stop.signal,
      });
    } catch (error) {
      if (signal?.aborted) throw cancelledError(`${described.method} ${described.path}`);
      if (timedOut) return timeoutError(described, target.host, timeoutMs);
      // Only the code is kept: the axios error holds the request config, headers included.
      const code = (error as { code?: unknown }).code;
      return networkError(described, target.host, typeof code === 'string' ? code : undefined);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** How long to wait before retrying, or undefined when this answer should not be retried. */
  function retryDelay(request: HttpRequest, status: number, headers: Record<string, string>, failures: number) {
    if (failures >= maxRetries || !retryOn.has(status)) return undefined;
    const retryAfter = parseRetryAfter(headers['retry-after'], now());
    // A 429, or any answer with Retry-After, means the server did not act; other failures might have.
    if (status !== 429 && retryAfter === undefined && !IDEMPOTENT_METHODS.has(request.method)) return undefined;
    const oktaReset = okta && status === 429 ? readOktaRateLimit(headers)?.resetAt : undefined;
    const delay = retryAfter ?? (oktaReset === undefined ? backoff(failures) : Math.max(0, oktaReset - now()));
    return delay > LONGEST_RETRY_WAIT_MS ? undefined : delay;
  }

  async function run(request: HttpRequest, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const url = resolveRequestUrl(baseUrl, request.path, request.query);
    let failures = 0;
    let renewedAuth = false;
    for (;;) {
      if (signal?.aborted) throw cancelledError(`${request.method} ${url.pathname}`);
      const result = await attempt(request, url, signal);
      if (result.kind === 'failure') {
        const retryable = result.error.code !== 'HTTP_CANCELLED' && IDEMPOTENT_METHODS.has(request.method);
        if (!retryable || failures >= maxRetries) throw result.error;
        await sleep(backoff(failures++), signal);
        continue;
      }
      const { response, usedAuth } = result;
      if (response.status === 401 && !renewedAuth && authenticator.renewAfterUnauthorized(usedAuth)) {
        renewedAuth = true;
        continue;
      }
      const failed = response.status < 200 || response.status >= 300 || isVendorFailure(response.body, mapping);
      if (!failed) return response;
      const delay = retryDelay(request, response.status, response.headers, failures);
      if (delay === undefined) {
        throw httpStatusError(describe(request, url), response.status, response.body, mapping, authenticator.secrets());
      }
      failures++;
      await sleep(delay, signal);
    }
  }

  return {
    async request(request, signal) {
      try {
        return await run(request, signal);
      } catch (error) {
        // Whatever was waiting when the caller gave up (queue, retry pause, token), report it once.
        if (signal?.aborted && !(error instanceof FlowsteadError && error.code === 'HTTP_CANCELLED')) {
          throw cancelledError(`${request.method} ${request.path.split('?')[0]}`);
        }
        throw error;
      }
    },
  };
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new FlowsteadError(
      'CONNECTION_BASE_URL',
      "The connection's base URL is not a valid http(s) address; enter it like https://example.okta.com.",
      { field: 'baseUrl' },
    );
  }
  return baseUrl;
}

function describe(request: HttpRequest, url: URL): RequestDescription {
  return { method: request.method, path: url.pathname };
}

/** Exponential backoff with jitter, so many clients retrying at once spread out. */
function backoff(failures: number): number {
  const ceiling = Math.min(LONGEST_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** failures);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

function buildHeaders(request: HttpRequest, usedAuth: AppliedAuth): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'Flowstead' };
  const set = (name: string, value: string) => {
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    }
    headers[name] = value;
  };
  const contentType = contentTypeOf(request.body);
  if (contentType) set('Content-Type', contentType);
  for (const [name, value] of Object.entries(request.headers ?? {})) set(name, value);
  // Credentials come last so a request header cannot replace them by accident.
  for (const [name, value] of Object.entries(usedAuth.headers)) set(name, value);
  return headers;
}

function contentTypeOf(body: RequestBody | undefined): string | undefined {
  if (!body) return undefined;
  if (body.kind === 'json') return 'application/json';
  if (body.kind === 'form') return 'application/x-www-form-urlencoded';
  return body.contentType ?? 'text/plain; charset=utf-8';
}

function serialiseBody(body: RequestBody | undefined): string | undefined {
  if (!body) return undefined;
  if (body.kind === 'json') return JSON.stringify(body.value);
  if (body.kind === 'form') return new URLSearchParams(body.value).toString();
  return body.value;
}

function lowerCaseHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return result;
}

function toResponse(
  raw: AxiosResponse<string>,
  headers: Record<string, string>,
  url: URL,
  described: RequestDescription,
): HttpResponse {
  const text = typeof raw.data === 'string' ? raw.data : '';
  let body: unknown = text === '' ? undefined : text;
  if (text !== '' && /[/+]json\b/i.test(headers['content-type'] ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      if (raw.status >= 200 && raw.status < 300) {
        throw new FlowsteadError(
          'HTTP_INVALID_JSON',
          `${described.method} ${described.path} answered ${raw.status} with a JSON content type but a body that is not JSON; check the base URL points at the API.`,
          { method: described.method, path: described.path, status: raw.status },
        );
      }
    }
  }
  return { status: raw.status, headers, body, url: url.toString() };
}
