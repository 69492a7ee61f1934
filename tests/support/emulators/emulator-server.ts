/**
 * The small HTTP core the vendor emulators share: one server on 127.0.0.1 (port 0), bodies parsed
 * as JSON or form data, a route table with `:param` segments, and a log of every request so tests
 * can check what a connector actually sent (headers included).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmulatorRequest {
  method: string;
  /** Path without the query string, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON or form body (form bodies become a string record); undefined when empty. */
  body: unknown;
  /** The body was sent but did not parse: each vendor answers this in its own error format. */
  malformedBody: boolean;
  rawBody: string;
  /** Decoded `:name` segments of the matched route. */
  params: Record<string, string>;
}

export interface EmulatorReply {
  status: number;
  /** Objects and arrays are sent as JSON; undefined sends no body. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Overrides `application/json; charset=utf-8` (SCIM answers application/scim+json). */
  contentType?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  /** Path and query string as sent. */
  url: string;
  headers: IncomingHttpHeaders;
}

export type RouteHandler = (request: EmulatorRequest) => EmulatorReply | Promise<EmulatorReply>;

export interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

export function route(method: string, pattern: string, handler: RouteHandler): Route {
  return { method, segments: pattern.split('/').filter(Boolean), handler };
}

export type MatchResult =
  { kind: 'found'; route: Route; params: Record<string, string> } | { kind: 'wrong-method' } | { kind: 'none' };

/** Finds the route for a path; a path known under another method is told apart so vendors can answer 405. */
export function matchRoute(routes: Route[], method: string, path: string): MatchResult {
  const parts = path.split('/').filter(Boolean);
  let pathKnown = false;
  for (const candidate of routes) {
    const params = matchSegments(candidate.segments, parts);
    if (!params) continue;
    if (candidate.method === method) return { kind: 'found', route: candidate, params };
    pathKnown = true;
  }
  return pathKnown ? { kind: 'wrong-method' } : { kind: 'none' };
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string;
    const actual = parts[i] as string;
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

export interface EmulatorServer {
  /** e.g. http://127.0.0.1:54321 (no trailing slash) */
  url: string;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a server that hands each parsed request to `handle`. A handler that throws answers 500
 * with the message, so a bug in an emulator shows up in the failing test rather than as a hang.
 */
export async function startEmulatorServer(
  handle: (request: EmulatorRequest) => EmulatorReply | Promise<EmulatorReply>,
): Promise<EmulatorServer> {
  const requests: LoggedRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const target = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const method = (incoming.method ?? 'GET').toUpperCase();
      requests.push({ method, path: target.pathname, url: incoming.url ?? '/', headers: incoming.headers });
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const parsed = parseBody(rawBody, incoming.headers['content-type']);
      const request: EmulatorRequest = {
        method,
        path: target.pathname,
        query: target.searchParams,
        headers: incoming.headers,
        body: parsed.body,
        malformedBody: parsed.malformed,
        rawBody,
        params: {},
      };
      Promise.resolve()
        .then(() => handle(request))
        .catch((error: unknown): EmulatorReply => ({ status: 500, body: { message: String(error) } }))
        .then((reply) => {
          const headers: Record<string, string> = { ...reply.headers };
          let payload: string | undefined;
          if (reply.body !== undefined) {
            payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
            headers['Content-Type'] = reply.contentType ?? 'application/json; charset=utf-8';
          }
          response.writeHead(reply.status, headers);
          response.end(payload);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets from fetch would otherwise hold close() open for seconds.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function parseBody(raw: string, contentType: string | undefined): { body: unknown; malformed: boolean } {
  if (raw.length === 0) return { body: undefined, malformed: false };
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) {
    return { body: Object.fromEntries(new URLSearchParams(raw)), malformed: false };
  }
  // application/json and the +json family (application/scim+json); untyped bodies are tried as JSON.
  if (type.includes('json') || type === '') {
    try {
      return { body: JSON.parse(raw) as unknown, malformed: false };
    } catch {
      return { body: undefined, malformed: true };
    }
  }
  return { body: raw, malformed: false };
}

/** Reads the token of `Authorization: <scheme> <token>`; the scheme is compared case-insensitively. */
export function authToken(headers: IncomingHttpHeaders, scheme: string): string | undefined {
  const header = headers.authorization;
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== scheme.toLowerCase()) return undefined;
  return header.slice(space + 1).trim();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function randomId(length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

/** Fixed-window counter shared by the rate-limited emulators: windows start on multiples of `windowMs`. */
export class FixedWindowCounter {
  private readonly used = new Map<string, { window: number; count: number }>();
  /** Most requests accepted in any one window of any bucket. */
  maxInWindow = 0;
  readonly maxInWindowByBucket: Record<string, number> = {};
  rejected = 0;

  constructor(private readonly now: () => number) {}

  /** Counts one request; `allowed` is false once the bucket's window is full. */
  take(bucket: string, limit: number, windowMs: number) {
    const now = this.now();
    const window = Math.floor(now / windowMs);
    const entry = this.used.get(bucket);
    const current = entry && entry.window === window ? entry : { window, count: 0 };
    current.count++;
    this.used.set(bucket, current);
    const allowed = current.count <= limit;
    if (allowed) {
      this.maxInWindow = Math.max(this.maxInWindow, current.count);
      this.maxInWindowByBucket[bucket] = Math.max(this.maxInWindowByBucket[bucket] ?? 0, current.count);
    } else {
      this.rejected++;
    }
    const resetMs = (window + 1) * windowMs;
    return { allowed, remaining: Math.max(0, limit - current.count), resetMs, retryAfterMs: resetMs - now };
  }
}
