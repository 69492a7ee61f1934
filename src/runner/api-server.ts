import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { EngineApp } from '../engine/app.js';
import { dispatchApiCall } from '../shared/api/dispatch.js';
import type { ApiResult } from '../shared/api/contract.js';

export interface ApiServerOptions {
  engine: EngineApp;
  /** Loopback by default: the API is for this machine unless an admin says otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Bearer token clients must send; a random one when not given. */
  token?: string;
  /** Folder with the built designer (out/renderer) to serve at `/`. */
  staticDir?: string;
  /**
   * Requests the embedding process answers itself before the API sees them (the headless
   * runner's webhooks, /healthz, /metrics); returns true when it answered.
   */
  routes?: (request: http.IncomingMessage, response: http.ServerResponse, url: URL) => boolean | Promise<boolean>;
}

export interface ApiServer {
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_BODY = 20 * 1024 * 1024;
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function sameToken(given: string | null | undefined, expected: Buffer): boolean {
  if (!given) return false;
  const buffer = Buffer.from(given);
  return buffer.length === expected.length && timingSafeEqual(buffer, expected);
}

function sendResult(response: http.ServerResponse, status: number, result: ApiResult<unknown>): void {
  const body = JSON.stringify(result);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(body);
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Status codes for error results, so HTTP tools see failures; the body is always an ApiResult. */
function statusFor(result: ApiResult<unknown>): number {
  if (result.ok) return 200;
  const code = result.error.code;
  if (code === 'INVALID_PAYLOAD' || code === 'INVALID_JSON') return 400;
  if (code === 'API_UNKNOWN_METHOD' || code.endsWith('_NOT_FOUND')) return 404;
  if (code === 'INTERNAL') return 500;
  return 422;
}

/**
 * Serves the API contract over HTTP (POST /api/<method>, events at GET /api/events as
 * server-sent events) and, optionally, the built designer, so the UI runs in a plain browser
 * against the same engine services. Every API request needs the bearer token.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);
  const staticDir = options.staticDir ? path.resolve(options.staticDir) : undefined;

  const server = http.createServer((request, response) => {
    void handle(request, response).catch(() => {
      if (!response.headersSent)
        sendResult(response, 500, { ok: false, error: { code: 'INTERNAL', message: 'The server failed to answer.' } });
      else response.end();
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (options.routes && (await options.routes(request, response, url))) return;
    if (url.pathname === '/api/events') return streamEvents(request, response, url);
    if (url.pathname.startsWith('/api/')) return answerCall(request, response, url.pathname.slice('/api/'.length));
    if (request.method === 'GET' || request.method === 'HEAD') return serveStatic(url.pathname, response);
    response.writeHead(405).end();
  }

  async function answerCall(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    method: string,
  ): Promise<void> {
    const auth = request.headers.authorization;
    if (!sameToken(auth?.startsWith('Bearer ') ? auth.slice(7) : undefined, expected)) {
      return sendResult(response, 401, {
        ok: false,
        error: {
          code: 'UNAUTHORIZED',
          message: 'This request needs the access token (Authorization: Bearer <token>).',
        },
      });
    }
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST');
      return sendResult(response, 405, {
        ok: false,
        error: { code: 'METHOD_NOT_ALLOWED', message: 'API calls use POST.' },
      });
    }
    let payload: unknown;
    try {
      const body = await readBody(request);
      payload = body.trim() === '' ? {} : JSON.parse(body);
    } catch (error) {
      const tooLarge = error instanceof Error && error.message === 'too large';
      return sendResult(response, tooLarge ? 413 : 400, {
        ok: false,
        error: tooLarge
          ? { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${MAX_BODY / 1024 / 1024} MB.` }
          : {
              code: 'INVALID_JSON',
              message: 'The request body is not valid JSON. Send the method input as a JSON object.',
            },
      });
    }
    const result = await dispatchApiCall(options.engine.handlers, decodeURIComponent(method), payload);
    sendResult(response, statusFor(result), result);
  }

  function streamEvents(request: http.IncomingMessage, response: http.ServerResponse, url: URL): void {
    // EventSource cannot send headers, so the token comes in the query string here.
    if (!sameToken(url.searchParams.get('token'), expected)) {
      return sendResult(response, 401, {
        ok: false,
        error: { code: 'UNAUTHORIZED', message: 'The event stream needs the access token.' },
      });
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    response.write(': connected\n\n');
    const unsubscribe = options.engine.onProgress((event) => {
      response.write(`event: run.progress\ndata: ${JSON.stringify(event)}\n\n`);
    });
    request.on('close', unsubscribe);
  }

  function serveStatic(pathname: string, response: http.ServerResponse): void {
    if (!staticDir) return void response.writeHead(404).end();
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = path.resolve(staticDir, relative);
    if (!file.startsWith(staticDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return void response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    }
    response.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    fs.createReadStream(file).pipe(response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
